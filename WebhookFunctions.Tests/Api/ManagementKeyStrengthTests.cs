using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Startup;

namespace WebhookFunctions.Tests.Api;

// The start-up rule for management keys: trivially weak keys are refused, naming the entry and why, never echoing it.
public sealed class ManagementKeyStrengthTests
{
    [Theory]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaa", "different characters")]
    [InlineData("abababababababababababababababab", "different characters")]
    [InlineData("abcdefghabcdefghabcdefgh", "repeats a block of 8 characters")]
    [InlineData("short-key-0123", "at least 24")]
    [InlineData("local-trial-key-0123456789abcdef\n", "trailing newline")]
    [InlineData("local trial key 0123456789abcdef", "space")]
    public void A_trivially_weak_key_is_refused_saying_which_and_why(string key, string why)
    {
        var result = Validate("Production", "test-management-key-0123456789abcdef", key);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Auth:ApiKeys:1 is too weak", failure, StringComparison.Ordinal);
        Assert.Contains(why, failure, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim(), failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("local-trial-key-0123456789abcdef")] // the README's example
    [InlineData("test-management-key-0123456789abcdef")]
    [InlineData("0f3a9c27e4b18d56a0c7e2f9b3d41a68")] // openssl rand -hex 16
    public void Documented_and_generated_keys_pass(string key) =>
        Assert.True(Validate("Production", key).Succeeded);

    [Fact]
    public void No_key_outside_development_names_the_first_entry() =>
        Assert.Contains("Auth:ApiKeys:0 is required outside Development", Assert.Single(Validate("Production").Failures!), StringComparison.Ordinal);

    [Fact]
    public void A_weak_key_is_refused_in_development_too() =>
        Assert.True(Validate("Development", new string('k', 24)).Failed);

    private static ValidateOptionsResult Validate(string environment, params string[] keys) =>
        new AuthOptionsValidator(DevelopmentEnvironment.Detect(
                new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = environment }).Build()))
            .Validate(null, new AuthOptions { ApiKeys = [.. keys] });
}
