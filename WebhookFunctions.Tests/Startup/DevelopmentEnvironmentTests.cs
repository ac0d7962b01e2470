using Microsoft.Extensions.Configuration;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Startup;
using WebhookFunctions.Domain.Urls;

namespace WebhookFunctions.Tests.Startup;

// One rule decides "Development": the webhook URL's mode (row 3) and the management key rule agree on every marker.
public sealed class DevelopmentEnvironmentTests
{
    private static IConfiguration Settings(params string[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s[..s.IndexOf('=')], (string?)s[(s.IndexOf('=') + 1)..]))).Build();

    private static bool StartsWithoutManagementKey(IConfiguration configuration) =>
        new AuthOptionsValidator(DevelopmentEnvironment.Detect(configuration)).Validate(null, new AuthOptions()).Succeeded;

    [Theory]
    [InlineData("environment=Development")] // --environment Development on the command line
    [InlineData("AZURE_FUNCTIONS_ENVIRONMENT=Development")]
    [InlineData("ASPNETCORE_ENVIRONMENT=Development")]
    [InlineData("DOTNET_ENVIRONMENT=development")]
    [InlineData("ENV=dev")]
    [InlineData("AzureWebJobsStorage=UseDevelopmentStorage=true")]
    public void Each_development_marker_means_Tunnel_mode_and_a_generated_management_key(string marker)
    {
        var configuration = Settings(marker);

        Assert.True(DevelopmentEnvironment.Detect(configuration).IsDevelopment);
        Assert.Equal(WebhookMode.Tunnel, WebhookEnvironment.Detect(configuration).Mode);
        Assert.True(StartsWithoutManagementKey(configuration));
    }

    [Theory]
    [InlineData("environment=Production")]
    [InlineData("ASPNETCORE_ENVIRONMENT=Staging")]
    [InlineData("ENV=production")]
    [InlineData("AzureWebJobsStorage=DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=a2V5;EndpointSuffix=core.windows.net")]
    public void Without_a_marker_it_is_a_deployment_for_both(string setting)
    {
        var configuration = Settings(setting);

        Assert.False(DevelopmentEnvironment.Detect(configuration).IsDevelopment);
        Assert.Equal(WebhookMode.Domain, WebhookEnvironment.Detect(configuration).Mode);
        Assert.False(StartsWithoutManagementKey(configuration));
    }

    [Fact]
    public void An_explicit_Webhook_Mode_picks_the_url_source_but_does_not_change_Development()
    {
        var configuration = Settings("Webhook:Mode=Domain", "ASPNETCORE_ENVIRONMENT=Development");

        Assert.Equal(WebhookMode.Domain, WebhookEnvironment.Detect(configuration).Mode);
        Assert.True(StartsWithoutManagementKey(configuration));
    }

    [Fact]
    public void The_marker_names_the_setting_that_decided() =>
        Assert.Equal("ENV=local", DevelopmentEnvironment.Detect(Settings("ENV=local")).Marker);
}
