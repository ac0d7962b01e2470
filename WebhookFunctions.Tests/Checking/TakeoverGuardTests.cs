using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Webhooks;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Checking;

// A service in Tunnel mode (a developer's machine, perhaps with production tokens) leaves bots whose webhook is on a
// deployed domain alone, unless Webhook:AllowTakeover says otherwise.
public sealed class TakeoverGuardTests : IAsyncLifetime
{
    private const string Tunnel = "https://dev-box.ngrok-free.app";
    private const string Production = "https://bots.production.example";

    private NgrokAgentStandIn _agent = null!;
    private readonly List<CheckerHarness> _harnesses = [];

    public async Task InitializeAsync()
    {
        _agent = await NgrokAgentStandIn.StartAsync();
        _agent.AddTunnel(Tunnel, "http://localhost:7071");
    }

    public async Task DisposeAsync()
    {
        foreach (var harness in _harnesses)
        {
            await harness.DisposeAsync();
        }
        await _agent.DisposeAsync();
    }

    private async Task<CheckerHarness> TunnelHarnessAsync(bool? allowTakeover = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Webhook:Mode"] = "Tunnel",
            ["Ngrok:ApiUrl"] = _agent.ApiUrl,
            ["Ngrok:Port"] = "7071",
            ["Ngrok:Path"] = Path.Combine(Path.GetTempPath(), "no-such-ngrok-" + Guid.NewGuid().ToString("N")),
        };
        if (allowTakeover is { } allow)
        {
            settings["Webhook:AllowTakeover"] = allow ? "true" : "false";
        }
        var harness = await CheckerHarness.StartAsync(settings);
        _harnesses.Add(harness);
        return harness;
    }

    /// <summary>A bot the deployed service set: Telegram holds its URL, with a secret in the path.</summary>
    private static async Task<(Domain.Persistence.BotPlatformCredential Bot, string Url)> DeployedBotAsync(CheckerHarness harness, string origin = Production)
    {
        var bot = await harness.Domain.AddBotAsync();
        var url = $"{origin}/v1/api/webhooks/telegram/{bot.BotId}?path_secret=SECRETpathPART";
        using var deployment = new RivalClient(harness.BotApi);
        await deployment.SetWebhookAsync(CheckerHarness.Token(bot), url);
        harness.BotApi.ClearCalls();
        return (bot, url);
    }

    private static Task<WebhookStatus> SetAsync(CheckerHarness harness, Guid botId) =>
        harness.Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookService>().SetWebhookAsync(botId, null, default));

    [Fact]
    public async Task Checker_in_tunnel_mode_skips_a_bot_whose_webhook_is_on_a_deployed_domain()
    {
        var harness = await TunnelHarnessAsync();
        var (bot, url) = await DeployedBotAsync(harness);

        var report = await harness.SweepAsync();

        var line = Assert.Single(report.Bots);
        Assert.Equal((CheckOutcome.Skipped, SnakeCase.Of(RefreshReason.ForeignDomain)), (line.Outcome, line.Reason));
        Assert.Empty(harness.BotApi.CallsOf("setWebhook"));
        Assert.Equal(url, harness.Telegram(bot).Url);
        Assert.False((await harness.ReloadAsync(bot)).WebhookEnabled);
    }

    [Fact]
    public async Task Checker_in_tunnel_mode_takes_over_a_webhook_left_on_another_ngrok_tunnel()
    {
        var harness = await TunnelHarnessAsync();
        var (bot, _) = await DeployedBotAsync(harness, "https://old-box.ngrok-free.app");

        var line = Assert.Single((await harness.SweepAsync()).Bots);

        Assert.Equal((CheckOutcome.Refreshed, SnakeCase.Of(RefreshReason.UrlDrifted)), (line.Outcome, line.Reason));
        Assert.Equal($"{Tunnel}/v1/api/webhooks/telegram/{bot.BotId}", harness.Telegram(bot).Url);
    }

    [Fact]
    public async Task Explicit_set_in_tunnel_mode_is_refused_naming_the_setting_that_allows_it()
    {
        var harness = await TunnelHarnessAsync();
        var (bot, url) = await DeployedBotAsync(harness);
        var before = await harness.ReloadAsync(bot);

        var error = await Assert.ThrowsAsync<WebhookTakeoverRefusedException>(() => SetAsync(harness, bot.BotId));

        Assert.Contains("Webhook:AllowTakeover=true", error.Message);
        Assert.Contains("Webhook__AllowTakeover=true", error.Message);
        Assert.Contains(Production, error.Message);
        Assert.DoesNotContain("SECRETpathPART", error.Message);
        Assert.Empty(harness.BotApi.CallsOf("setWebhook"));
        Assert.Equal(url, harness.Telegram(bot).Url);
        Assert.Equal(before.ConcurrencyStamp, (await harness.ReloadAsync(bot)).ConcurrencyStamp);
    }

    [Fact]
    public async Task Allow_takeover_lets_the_checker_and_an_explicit_set_take_the_webhook()
    {
        var harness = await TunnelHarnessAsync(allowTakeover: true);
        var (swept, _) = await DeployedBotAsync(harness);
        var (set, _) = await DeployedBotAsync(harness);

        var report = await harness.SweepAsync();
        var status = await SetAsync(harness, set.BotId);

        Assert.Equal(CheckOutcome.Refreshed, report.Bots.Single(b => b.BotId == swept.BotId).Outcome);
        Assert.Equal($"{Tunnel}/v1/api/webhooks/telegram/{swept.BotId}", harness.Telegram(swept).Url);
        Assert.Equal($"{Tunnel}/v1/api/webhooks/telegram/{set.BotId}", status.Url);
    }

    [Fact]
    public async Task Domain_mode_sets_the_webhook_whatever_holds_it()
    {
        await using var harness = await CheckerHarness.StartAsync();
        var (bot, _) = await DeployedBotAsync(harness);

        var status = await SetAsync(harness, bot.BotId);

        Assert.Equal(CheckerHarness.ExpectedUrl(bot), status.Url);
    }

    [Fact]
    public async Task Explicit_set_in_tunnel_mode_of_a_bot_without_a_webhook_goes_ahead()
    {
        var harness = await TunnelHarnessAsync();
        var bot = await harness.Domain.AddBotAsync();

        var status = await SetAsync(harness, bot.BotId);

        Assert.Equal($"{Tunnel}/v1/api/webhooks/telegram/{bot.BotId}", status.Url);
    }
}
