using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.Tests.Checking;

// What a sweep repairs and what it leaves alone, through the Bot API stand-in over HTTP and a migrated SQLite file.
public sealed class SweepRepairTests : IAsyncLifetime
{
    private CheckerHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await CheckerHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Healthy_bot_is_checked_and_recorded_without_a_set()
    {
        var bot = await _harness.AddSetBotAsync();
        _harness.Telegram(bot).PendingUpdateCount = 3;
        _harness.BotApi.ClearCalls();

        var report = await _harness.SweepAsync();

        Assert.Equal(SweepStatuses.Completed, report.Status);
        Assert.Equal((1, 1, 0), (report.Checked, report.Healthy, report.Refreshed));
        Assert.Empty(_harness.BotApi.CallsOf("setWebhook"));
        var stored = await _harness.ReloadAsync(bot);
        Assert.Equal(CheckOutcomes.Healthy, stored.LastCheckOutcome);
        Assert.Null(stored.LastCheckReason);
        Assert.Equal(_harness.Now, stored.WebhookLastChecked);
        Assert.Equal(3, stored.LastPendingUpdateCount);
        Assert.NotEqual(bot.ConcurrencyStamp, stored.ConcurrencyStamp);
    }

    [Fact]
    public async Task Empty_url_at_telegram_is_set_again_with_the_stored_secret_and_config()
    {
        var bot = await _harness.AddSetBotAsync(new WebhookConfig { SecretToken = "stored_secret", MaxConnections = 7, AllowedUpdates = ["message"] });
        _harness.Telegram(bot).Url = "";

        var report = await _harness.SweepAsync();

        var line = Assert.Single(report.Bots);
        Assert.Equal((CheckOutcomes.Refreshed, RefreshReasons.UrlMissing), (line.Outcome, line.Reason));
        var call = _harness.BotApi.CallsOf("setWebhook").Last().Arguments;
        Assert.Equal(_harness.ExpectedUrl(bot), call["url"]!.GetValue<string>());
        Assert.Equal("stored_secret", call["secret_token"]!.GetValue<string>());
        Assert.Equal(7, call["max_connections"]!.GetValue<int>());
        Assert.Equal(["message"], call["allowed_updates"]!.AsArray().Select(n => n!.GetValue<string>()));
        var stored = await _harness.ReloadAsync(bot);
        Assert.Equal(_harness.Now, stored.WebhookLastSetAt);
        Assert.Equal(_harness.ExpectedUrl(bot), stored.WebhookUrl);
    }
}
