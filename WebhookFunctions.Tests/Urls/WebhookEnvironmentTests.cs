using WebhookFunctions.Domain.Urls;

namespace WebhookFunctions.Tests.Urls;

// The URL decision table, row by row, in the order it is applied. Settings are "Key=Value" (split at the first '=').
public sealed class WebhookEnvironmentTests
{
    private static WebhookEnvironment Detect(params string[] settings) =>
        WebhookEnvironment.Detect(UrlServices.Configuration([.. settings.Select(s => (s[..s.IndexOf('=')], (string?)s[(s.IndexOf('=') + 1)..]))]));

    [Theory]
    [InlineData(WebhookMode.Tunnel, "Webhook:Mode=Tunnel", "WEBSITE_INSTANCE_ID=abc123")]
    [InlineData(WebhookMode.Tunnel, "Webhook:Mode=tunnel", "WEBSITE_INSTANCE_ID=abc123", "ENV=production")]
    [InlineData(WebhookMode.Domain, "Webhook:Mode=Domain", "USE_NGROK=true", "ASPNETCORE_ENVIRONMENT=Development", "ENV=dev")]
    [InlineData(WebhookMode.Domain, "Webhook:Mode=DOMAIN", "AzureWebJobsStorage=UseDevelopmentStorage=true")]
    public void Row1_an_explicit_Webhook_Mode_wins_over_every_other_marker(Enum expected, params string[] settings)
    {
        var environment = Detect(settings);

        Assert.Equal(expected, environment.Mode);
        Assert.StartsWith("Webhook:Mode=", environment.Reason);
    }

    [Theory]
    [InlineData("USE_NGROK=true")]
    [InlineData("USE_NGROK=TRUE", "WEBSITE_INSTANCE_ID=abc123")]
    [InlineData("USE_NGROK=True", "ENV=production")]
    public void Row1_the_seeds_USE_NGROK_true_means_Tunnel_even_in_Azure(params string[] settings)
    {
        var environment = Detect(settings);

        Assert.Equal(WebhookMode.Tunnel, environment.Mode);
        Assert.Equal("USE_NGROK=true", environment.Reason);
    }

    [Fact]
    public void Row1_USE_NGROK_false_decides_nothing()
    {
        Assert.Equal(WebhookMode.Tunnel, Detect("USE_NGROK=false", "ENV=local").Mode);
        Assert.Equal(WebhookMode.Domain, Detect("USE_NGROK=false").Mode);
    }

    [Theory]
    [InlineData("WEBSITE_INSTANCE_ID=abc123")]
    [InlineData("WEBSITE_INSTANCE_ID=abc123", "AZURE_FUNCTIONS_ENVIRONMENT=Development")]
    [InlineData("WEBSITE_INSTANCE_ID=abc123", "ASPNETCORE_ENVIRONMENT=Development", "ENV=dev")]
    [InlineData("WEBSITE_INSTANCE_ID=abc123", "AzureWebJobsStorage=UseDevelopmentStorage=true")]
    public void Row2_running_in_Azure_means_Domain_even_with_development_markers(params string[] settings)
    {
        var environment = Detect(settings);

        Assert.Equal(WebhookMode.Domain, environment.Mode);
        Assert.Contains("WEBSITE_INSTANCE_ID", environment.Reason);
    }

    [Theory]
    [InlineData("AZURE_FUNCTIONS_ENVIRONMENT")]
    [InlineData("ASPNETCORE_ENVIRONMENT")]
    [InlineData("DOTNET_ENVIRONMENT")]
    public void Row3_a_Development_host_environment_means_Tunnel(string variable)
    {
        var environment = Detect($"{variable}=Development");

        Assert.Equal(WebhookMode.Tunnel, environment.Mode);
        Assert.Equal($"{variable}=Development", environment.Reason);
    }

    [Theory]
    [InlineData("AZURE_FUNCTIONS_ENVIRONMENT")]
    [InlineData("ASPNETCORE_ENVIRONMENT")]
    [InlineData("DOTNET_ENVIRONMENT")]
    public void Row3_a_Production_or_Staging_host_environment_is_not_local(string variable)
    {
        Assert.Equal(WebhookMode.Domain, Detect($"{variable}=Production").Mode);
        Assert.Equal(WebhookMode.Domain, Detect($"{variable}=Staging").Mode);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("development")]
    [InlineData("dev")]
    [InlineData("LOCAL")]
    [InlineData("Development")]
    [InlineData("Dev")]
    public void Row3_the_seeds_ENV_local_development_or_dev_means_Tunnel_in_any_case(string value)
    {
        var environment = Detect($"ENV={value}");

        Assert.Equal(WebhookMode.Tunnel, environment.Mode);
        Assert.Equal($"ENV={value}", environment.Reason);
    }

    [Theory]
    [InlineData("production")]
    [InlineData("staging")]
    [InlineData("develop")]
    [InlineData("")]
    public void Row3_other_ENV_values_are_not_local(string value)
    {
        Assert.Equal(WebhookMode.Domain, Detect($"ENV={value}").Mode);
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("usedevelopmentstorage=TRUE")]
    public void Row3_Azurite_storage_means_Tunnel(string value)
    {
        var environment = Detect($"AzureWebJobsStorage={value}");

        Assert.Equal(WebhookMode.Tunnel, environment.Mode);
        Assert.Contains("AzureWebJobsStorage", environment.Reason);
    }

    [Fact]
    public void Row3_real_storage_is_not_local()
    {
        Assert.Equal(WebhookMode.Domain, Detect("AzureWebJobsStorage=DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=a2V5;EndpointSuffix=core.windows.net").Mode);
    }

    [Fact]
    public void Row4_without_any_marker_the_mode_is_Domain()
    {
        var environment = Detect();

        Assert.Equal(WebhookMode.Domain, environment.Mode);
        Assert.Equal("no development marker found", environment.Reason);
    }

    [Fact]
    public void An_empty_Webhook_Mode_means_detect()
    {
        Assert.Equal(WebhookMode.Tunnel, Detect("Webhook:Mode=", "ENV=dev").Mode);
        Assert.Equal(WebhookMode.Domain, Detect("Webhook:Mode= ").Mode);
    }

    [Theory]
    [InlineData("Ngrok")]
    [InlineData("1")]
    [InlineData("Domain,Tunnel")]
    public void An_invalid_Webhook_Mode_fails_naming_the_setting(string mode)
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Detect($"Webhook:Mode={mode}"));

        Assert.Contains("Webhook:Mode", error.Message);
        Assert.Contains($"'{mode}'", error.Message);
    }

    [Fact]
    public async Task An_invalid_Webhook_Mode_stops_start_up_naming_the_setting()
    {
        using var host = UrlServices.Host(("Webhook:Mode", "ngrok"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("Webhook:Mode", error.Message);
    }

    // The seed's test_is_local_environment, both halves.
    [Fact]
    public void Seed_environment_detection_ENV_development_is_local()
    {
        Assert.Equal(WebhookMode.Tunnel, Detect("ENV=development").Mode);
    }

    [Fact]
    public void Seed_environment_detection_ENV_production_without_USE_NGROK_is_not_local()
    {
        Assert.Equal(WebhookMode.Domain, Detect("ENV=production", "USE_NGROK=false").Mode);
    }
}
