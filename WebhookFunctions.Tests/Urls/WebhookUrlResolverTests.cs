using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Urls;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Urls;

// The seed's URL tests, ported, and where Domain mode takes its origin from.
public sealed class WebhookUrlResolverTests
{
    private static readonly Guid SeedBotId = Guid.Parse("11111111-1111-1111-1111-111111111111");

    private static async Task<string> ResolveAsync(params (string Key, string? Value)[] settings)
    {
        await using var services = UrlServices.Build(settings);
        return await services.GetRequiredService<WebhookUrlResolver>().ResolveAsync(SeedBotId, default);
    }

    [Fact]
    public async Task Seed_production_url_is_the_domain_followed_by_the_webhook_path()
    {
        var url = await ResolveAsync(("ENV", "production"), ("WEBHOOK_DOMAIN", "https://api.example.com"));

        Assert.Equal($"https://api.example.com/v1/api/webhooks/telegram/{SeedBotId}", url);
    }

    [Fact]
    public async Task Seed_development_url_is_the_ngrok_public_url_followed_by_the_webhook_path()
    {
        await using var agent = await NgrokAgentStandIn.StartAsync();
        agent.AddTunnel("https://abc123.ngrok.io", "http://localhost:7071", "command_line");

        var url = await ResolveAsync(("ENV", "development"), ("Ngrok:ApiUrl", agent.ApiUrl));

        Assert.Equal("https://abc123.ngrok.io/v1/api/webhooks/telegram/11111111-1111-1111-1111-111111111111", url);
        Assert.Single(agent.CallsOf("GET"));
    }

    [Fact]
    public async Task Webhook_Domain_is_used_in_Domain_mode()
    {
        var url = await ResolveAsync(("Webhook:Mode", "Domain"), ("Webhook:Domain", "https://bots.example.com"));

        Assert.Equal($"https://bots.example.com/v1/api/webhooks/telegram/{SeedBotId}", url);
    }

    [Fact]
    public async Task A_trailing_slash_on_the_domain_does_not_double_the_slash()
    {
        var url = await ResolveAsync(("Webhook:Domain", "https://bots.example.com/"));

        Assert.Equal($"https://bots.example.com/v1/api/webhooks/telegram/{SeedBotId}", url);
    }

    [Fact]
    public async Task The_seeds_WEBHOOK_DOMAIN_is_an_alias_of_Webhook_Domain()
    {
        var url = await ResolveAsync(("WEBHOOK_DOMAIN", "https://seed.example.com"));

        Assert.Equal($"https://seed.example.com/v1/api/webhooks/telegram/{SeedBotId}", url);
    }

    [Fact]
    public async Task Webhook_Domain_wins_over_WEBHOOK_DOMAIN_and_WEBSITE_HOSTNAME()
    {
        var url = await ResolveAsync(
            ("Webhook:Domain", "https://bots.example.com"), ("WEBHOOK_DOMAIN", "https://seed.example.com"), ("WEBSITE_HOSTNAME", "app.azurewebsites.net"));

        Assert.StartsWith("https://bots.example.com/", url);
    }

    [Fact]
    public async Task Without_a_domain_the_App_Service_host_name_is_used_over_https()
    {
        var url = await ResolveAsync(("WEBSITE_INSTANCE_ID", "abc123"), ("WEBSITE_HOSTNAME", "webhooks-prod.azurewebsites.net"));

        Assert.Equal($"https://webhooks-prod.azurewebsites.net/v1/api/webhooks/telegram/{SeedBotId}", url);
    }

    [Fact]
    public async Task WEBHOOK_DOMAIN_wins_over_WEBSITE_HOSTNAME()
    {
        var url = await ResolveAsync(("WEBHOOK_DOMAIN", "https://seed.example.com"), ("WEBSITE_HOSTNAME", "app.azurewebsites.net"));

        Assert.StartsWith("https://seed.example.com/", url);
    }

    [Fact]
    public async Task An_empty_Webhook_Domain_counts_as_unset_and_falls_back_to_WEBSITE_HOSTNAME()
    {
        var url = await ResolveAsync(("Webhook:Domain", ""), ("WEBHOOK_DOMAIN", " "), ("WEBSITE_HOSTNAME", "app.azurewebsites.net"));

        Assert.StartsWith("https://app.azurewebsites.net/", url);
    }

    [Fact]
    public async Task Tunnel_mode_ignores_the_domain()
    {
        await using var agent = await NgrokAgentStandIn.StartAsync();
        agent.AddTunnel("https://tunnel.ngrok-free.app", "http://localhost:7071");

        var url = await ResolveAsync(("Webhook:Mode", "Tunnel"), ("Webhook:Domain", "https://bots.example.com"), ("Ngrok:ApiUrl", agent.ApiUrl));

        Assert.StartsWith("https://tunnel.ngrok-free.app/", url);
    }
}
