using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Tests.Urls;

// A bad URL setting stops a real host's start-up (ValidateOnStart) with a message that names the setting.
public sealed class UrlSettingsStartupTests
{
    private const string SelfHostedBotApi = "http://127.0.0.1:8081";

    private static async Task<OptionsValidationException> StartFailsAsync(params (string Key, string? Value)[] settings)
    {
        using var host = UrlServices.Host(settings);
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    /// <summary>Runs exactly the checks StartAsync runs first, without starting hosted services other areas add.</summary>
    private static void StartupValidationPasses(params (string Key, string? Value)[] settings)
    {
        using var host = UrlServices.Host(settings);
        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public async Task Domain_mode_without_any_domain_stops_start_up_naming_Webhook_Domain()
    {
        var error = await StartFailsAsync(("Webhook:Mode", "Domain"));

        Assert.Contains("Webhook:Domain", error.Message);
        Assert.Contains("required", error.Message);
    }

    [Fact]
    public async Task A_deployment_without_markers_or_domain_stops_start_up_naming_Webhook_Domain()
    {
        var error = await StartFailsAsync();

        Assert.Contains("Webhook:Domain", error.Message);
    }

    [Theory]
    [InlineData("http://bots.example.com")]
    [InlineData("ftp://bots.example.com")]
    public async Task A_domain_that_is_not_https_stops_start_up(string domain)
    {
        var error = await StartFailsAsync(("Webhook:Domain", domain));

        Assert.Contains("Webhook:Domain", error.Message);
        Assert.Contains("https", error.Message);
    }

    [Fact]
    public async Task A_domain_that_is_not_an_absolute_url_stops_start_up()
    {
        var error = await StartFailsAsync(("Webhook:Domain", "bots.example.com"));

        Assert.Contains("Webhook:Domain", error.Message);
        Assert.Contains("'bots.example.com'", error.Message);
    }

    [Fact]
    public async Task A_domain_with_a_path_stops_start_up()
    {
        var error = await StartFailsAsync(("Webhook:Domain", "https://bots.example.com/hooks"));

        Assert.Contains("Webhook:Domain", error.Message);
        Assert.Contains("without path", error.Message);
    }

    [Fact]
    public async Task A_domain_with_a_query_stops_start_up()
    {
        var error = await StartFailsAsync(("Webhook:Domain", "https://bots.example.com?tenant=1"));

        Assert.Contains("Webhook:Domain", error.Message);
        Assert.Contains("query", error.Message);
    }

    [Fact]
    public async Task The_seeds_WEBHOOK_DOMAIN_is_validated_under_the_same_name()
    {
        var error = await StartFailsAsync(("WEBHOOK_DOMAIN", "http://seed.example.com"));

        Assert.Contains("Webhook:Domain (or WEBHOOK_DOMAIN)", error.Message);
    }

    [Theory]
    [InlineData(8080)]
    [InlineData(3000)]
    [InlineData(4443)]
    public async Task A_port_the_official_Bot_API_refuses_stops_start_up(int port)
    {
        var error = await StartFailsAsync(("Webhook:Domain", $"https://bots.example.com:{port}"));

        Assert.Contains("Webhook:Domain", error.Message);
        Assert.Contains($"port {port}", error.Message);
    }

    [Theory]
    [InlineData("https://bots.example.com")]
    [InlineData("https://bots.example.com:443")]
    [InlineData("https://bots.example.com:80")]
    [InlineData("https://bots.example.com:88")]
    [InlineData("https://bots.example.com:8443")]
    public void The_ports_the_official_Bot_API_delivers_to_pass(string domain)
    {
        StartupValidationPasses(("Webhook:Domain", domain));
    }

    [Fact]
    public void Any_port_passes_with_a_self_hosted_Bot_API_server()
    {
        StartupValidationPasses(("Webhook:Domain", "https://bots.example.com:8080"), ("Telegram:ApiBaseUrl", SelfHostedBotApi));
    }

    [Fact]
    public async Task A_self_hosted_Bot_API_server_still_requires_https_and_a_bare_origin()
    {
        var error = await StartFailsAsync(("Webhook:Domain", "https://bots.example.com:8080/x"), ("Telegram:ApiBaseUrl", SelfHostedBotApi));

        Assert.Contains("Webhook:Domain", error.Message);
    }

    [Fact]
    public void WEBSITE_HOSTNAME_satisfies_Domain_mode_in_Azure()
    {
        StartupValidationPasses(("WEBSITE_INSTANCE_ID", "abc123"), ("WEBSITE_HOSTNAME", "app.azurewebsites.net"));
    }

    [Fact]
    public void Tunnel_mode_needs_no_domain_and_ignores_a_bad_one()
    {
        StartupValidationPasses(("Webhook:Mode", "Tunnel"), ("Webhook:Domain", "http://not-checked.example.com/path"));
    }

    [Fact]
    public void Ngrok_settings_are_neither_read_nor_checked_in_Domain_mode()
    {
        StartupValidationPasses(("Webhook:Domain", "https://bots.example.com"), ("NGROK_PORT", "abc"), ("Ngrok:ApiUrl", "not a url"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("-5")]
    public async Task An_invalid_NGROK_PORT_stops_start_up_naming_the_setting(string port)
    {
        var error = await StartFailsAsync(("ENV", "dev"), ("NGROK_PORT", port));

        Assert.Contains("NGROK_PORT", error.Message);
        Assert.Contains("Ngrok:Port", error.Message);
    }

    [Fact]
    public async Task An_out_of_range_Ngrok_Port_stops_start_up_naming_the_setting()
    {
        var error = await StartFailsAsync(("ENV", "dev"), ("Ngrok:Port", "65536"));

        Assert.Contains("Ngrok:Port", error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:4040")]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1:4040")]
    public async Task An_Ngrok_ApiUrl_that_is_not_an_http_url_stops_start_up(string apiUrl)
    {
        var error = await StartFailsAsync(("ENV", "dev"), ("Ngrok:ApiUrl", apiUrl));

        Assert.Contains("Ngrok:ApiUrl", error.Message);
    }

    [Theory]
    [InlineData("Ngrok:StartTimeout", "00:00:00")]
    [InlineData("Ngrok:StartTimeout", "00:05:00")]
    [InlineData("Ngrok:CacheDuration", "02:00:00")]
    public async Task An_out_of_range_ngrok_duration_stops_start_up_naming_the_setting(string setting, string value)
    {
        var error = await StartFailsAsync(("ENV", "dev"), (setting, value));

        Assert.Contains(setting, error.Message);
    }
}
