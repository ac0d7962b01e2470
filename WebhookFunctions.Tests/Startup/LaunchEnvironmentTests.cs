using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using WebhookFunctions.SelfHost;

namespace WebhookFunctions.Tests.Startup;

// `dotnet run` starts in Development on a fresh clone, but never overrides an environment the user set.
public sealed class LaunchEnvironmentTests
{
    [Theory]
    [InlineData("ASPNETCORE_ENVIRONMENT")]
    [InlineData("DOTNET_ENVIRONMENT")]
    [InlineData("environment")] // --environment on the command line
    public void An_environment_the_user_set_wins_over_the_launch_profile_default(string key) =>
        Assert.Null(LaunchEnvironment.Choose(Settings((LaunchEnvironment.DefaultVariable, "Development"), (key, "Production"))));

    [Fact]
    public void With_no_environment_set_the_launch_profile_default_applies() =>
        Assert.Equal("Development", LaunchEnvironment.Choose(Settings((LaunchEnvironment.DefaultVariable, "Development"))));

    [Fact]
    public void Outside_dotnet_run_nothing_is_defaulted() =>
        Assert.Null(LaunchEnvironment.Choose(Settings()));

    [Fact]
    public void The_launch_profile_sets_no_environment_variable_that_would_override_the_users()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "WebhookFunctions.SelfHost", "Properties", "launchSettings.json");
        var profiles = JsonNode.Parse(File.ReadAllText(file))!["profiles"]!.AsObject();

        foreach (var (_, profile) in profiles)
        {
            var variables = profile!["environmentVariables"]?.AsObject().Select(v => v.Key).ToList() ?? [];
            Assert.DoesNotContain("ASPNETCORE_ENVIRONMENT", variables);
            Assert.DoesNotContain("DOTNET_ENVIRONMENT", variables);
            Assert.Contains(LaunchEnvironment.DefaultVariable, variables);
        }
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
