using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Urls;

namespace WebhookFunctions.Tests.Urls;

// What counts as a deployed domain for the tunnel-mode guard, and what may be said about a URL someone else set.
public sealed class WebhookTakeoverGuardTests
{
    private const string Ours = "https://dev-box.ngrok-free.app/v1/api/webhooks/telegram/3f2c1e9a-8b7d-4c6e-9f10-2a3b4c5d6e7f";

    private static WebhookTakeoverGuard Guard(string mode, bool allowTakeover = false) => new(
        WebhookEnvironment.Detect(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Webhook:Mode"] = mode }).Build()),
        Options.Create(new WebhookOptions { AllowTakeover = allowTakeover }));

    [Theory]
    [InlineData("https://bots.example.com/v1/api/webhooks/telegram/x", true)]
    [InlineData("https://example.com/hook", true)]
    [InlineData("https://ngrok.app.evil.example/hook", true)]
    [InlineData("https://notngrok.app/hook", true)]
    [InlineData("", false)]
    [InlineData("https://old-box.ngrok-free.app/hook", false)]
    [InlineData("https://someone.ngrok-free.dev/hook", false)]
    [InlineData("https://team.ngrok.app/hook", false)]
    [InlineData("https://abc.eu.ngrok.io/hook", false)]
    [InlineData("https://dev-box.ngrok-free.app/another/path", false)]
    public void Tunnel_mode_refuses_only_a_webhook_on_a_deployed_domain(string telegramUrl, bool refused) =>
        Assert.Equal(refused, Guard("Tunnel").Refuses(telegramUrl, Ours));

    [Fact]
    public void Tunnel_mode_on_a_custom_domain_counts_its_own_host_as_ours() =>
        Assert.False(Guard("Tunnel").Refuses("https://dev.example.com/other", "https://dev.example.com/v1/api/webhooks/telegram/x"));

    [Fact]
    public void Allow_takeover_or_domain_mode_refuses_nothing()
    {
        Assert.False(Guard("Tunnel", allowTakeover: true).Refuses("https://bots.example.com/hook", Ours));
        Assert.False(Guard("Domain").Refuses("https://bots.example.com/hook", "https://other.example.com/hook"));
    }

    [Theory]
    [InlineData("https://rival.example.org/hook/SECRET?key=SECRET", "https://rival.example.org")]
    [InlineData("https://user:SECRET@rival.example.org:8443/SECRET", "https://rival.example.org")]
    [InlineData("HTTPS://Rival.Example.ORG/x", "https://rival.example.org")]
    [InlineData("", null)]
    [InlineData("not a url", null)]
    public void Origin_is_the_scheme_and_host_only(string url, string? origin) =>
        Assert.Equal(origin, WebhookOrigins.Of(url));

    [Fact]
    public async Task A_takeover_setting_that_is_not_a_boolean_stops_start_up_naming_it()
    {
        using var host = UrlServices.Host(("Webhook:Mode", "Tunnel"), ("Webhook:AllowTakeover", "yes"));

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("Webhook:AllowTakeover", error.Message);
    }
}
