using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Credentials;
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

    [Fact]
    public async Task Drifted_url_is_set_to_the_url_the_resolver_gives_now()
    {
        var bot = await _harness.AddSetBotAsync();
        _harness.Telegram(bot).Url = $"https://old-tunnel.ngrok-free.app/v1/api/webhooks/telegram/{bot.BotId}";

        var report = await _harness.SweepAsync();

        Assert.Equal(RefreshReasons.UrlDrifted, Assert.Single(report.Bots).Reason);
        Assert.Equal(_harness.ExpectedUrl(bot), _harness.Telegram(bot).Url);
        Assert.Equal(RefreshReasons.UrlDrifted, (await _harness.ReloadAsync(bot)).LastCheckReason);
    }

    [Fact]
    public async Task Config_changed_at_telegram_is_set_back_to_the_stored_config()
    {
        var bot = await _harness.AddSetBotAsync(new WebhookConfig { MaxConnections = 5 });
        _harness.Telegram(bot).MaxConnections = 40;

        var report = await _harness.SweepAsync();

        Assert.Equal(RefreshReasons.ConfigDrifted, Assert.Single(report.Bots).Reason);
        Assert.Equal(5, _harness.Telegram(bot).MaxConnections);
    }

    [Fact]
    public async Task Repair_never_drops_pending_updates()
    {
        var bot = await _harness.AddSetBotAsync();
        _harness.Telegram(bot).Url = "";
        _harness.Telegram(bot).PendingUpdateCount = 42;
        _harness.BotApi.ClearCalls();

        await _harness.SweepAsync();

        var call = Assert.Single(_harness.BotApi.CallsOf("setWebhook")).Arguments;
        Assert.False(call.TryGetPropertyValue("drop_pending_updates", out var drop) && drop!.ToString() is "true" or "True");
        Assert.Equal(42, _harness.Telegram(bot).PendingUpdateCount);
    }

    [Fact]
    public async Task Delivery_error_since_the_last_set_is_repaired_once()
    {
        var bot = await _harness.AddSetBotAsync();
        _harness.Telegram(bot).LastErrorDate = _harness.Clock.GetUtcNow().AddMinutes(-1);

        var first = await _harness.SweepAsync();
        _harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await _harness.SweepAsync();

        Assert.Equal(RefreshReasons.RecentDeliveryError, Assert.Single(first.Bots).Reason);
        Assert.Equal(CheckOutcomes.Healthy, Assert.Single(second.Bots).Outcome);
    }

    [Fact]
    public async Task Backlog_soon_after_a_set_is_recorded_as_skipped_without_a_set()
    {
        var bot = await _harness.AddSetBotAsync();
        _harness.Telegram(bot).PendingUpdateCount = 101;
        _harness.BotApi.ClearCalls();

        var report = await _harness.SweepAsync();

        Assert.Equal((CheckOutcomes.Skipped, RefreshReasons.PendingBacklogCooldown), (report.Bots[0].Outcome, report.Bots[0].Reason));
        Assert.Equal(1, report.Skipped);
        Assert.Empty(_harness.BotApi.CallsOf("setWebhook"));
        Assert.Equal(CheckOutcomes.Skipped, (await _harness.ReloadAsync(bot)).LastCheckOutcome);
    }

    [Fact]
    public async Task Newly_registered_bot_with_auto_refresh_gets_its_webhook_set_with_a_new_secret()
    {
        var bot = await _harness.Domain.AddBotAsync();

        var report = await _harness.SweepAsync();

        Assert.Equal((CheckOutcomes.Refreshed, RefreshReasons.UrlMissing), (report.Bots[0].Outcome, report.Bots[0].Reason));
        var stored = await _harness.ReloadAsync(bot);
        Assert.True(stored.WebhookEnabled);
        Assert.Equal(_harness.ExpectedUrl(bot), stored.WebhookUrl);
        Assert.True(WebhookConfigValidator.IsValidSecret(stored.WebhookSecret));
        Assert.Equal(stored.WebhookSecret, _harness.Telegram(bot).SecretToken);
        Assert.Equal(_harness.ExpectedUrl(bot), _harness.Telegram(bot).Url);
    }

    [Fact]
    public async Task Webhook_disabled_through_delete_is_left_untouched()
    {
        var bot = await _harness.AddSetBotAsync();
        await _harness.DeleteViaApiAsync(bot);
        _harness.Clock.Advance(TimeSpan.FromMinutes(5));
        _harness.BotApi.ClearCalls();

        var report = await _harness.SweepAsync();

        Assert.Equal(0, report.Checked);
        Assert.Empty(_harness.BotApi.Calls);
        Assert.Equal("", _harness.Telegram(bot).Url);
        var stored = await _harness.ReloadAsync(bot);
        Assert.False(stored.WebhookEnabled);
        Assert.Equal(CheckOutcomes.Disabled, stored.LastCheckOutcome);
    }

    [Fact]
    public async Task Bot_deleted_before_its_webhook_was_ever_set_is_not_set()
    {
        var bot = await _harness.Domain.AddBotAsync();
        await _harness.DeleteViaApiAsync(bot);
        _harness.Clock.Advance(TimeSpan.FromMinutes(5));

        var report = await _harness.SweepAsync();

        Assert.Equal(0, report.Checked);
        Assert.Equal("", _harness.Telegram(bot).Url);
    }

    [Fact]
    public async Task Bot_with_auto_refresh_off_is_not_checked()
    {
        var bot = await _harness.AddSetBotAsync(configure: c => c.WebhookAutoRefresh = false);
        _harness.Telegram(bot).Url = "";
        _harness.BotApi.ClearCalls();

        var report = await _harness.SweepAsync();

        Assert.Equal(0, report.Checked);
        Assert.Empty(_harness.BotApi.Calls);
    }

    [Fact]
    public async Task Inactive_credential_is_not_checked()
    {
        await _harness.Domain.AddBotAsync(c => c.IsActive = false);

        var report = await _harness.SweepAsync();

        Assert.Equal(0, report.Checked);
        Assert.Empty(_harness.BotApi.Calls);
    }

    [Fact]
    public async Task Bot_checked_less_than_the_minimum_interval_ago_waits_for_a_later_sweep()
    {
        var bot = await _harness.Domain.AddBotAsync();
        await _harness.SetViaApiAsync(bot);

        _harness.Clock.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        var early = await _harness.SweepAsync();
        _harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var due = await _harness.SweepAsync();

        Assert.Equal(0, early.Checked);
        Assert.Equal(1, due.Checked);
    }

    [Fact]
    public async Task Bots_over_several_pages_are_each_checked_once()
    {
        await using var harness = await CheckerHarness.StartAsync(new() { ["Checker:BatchSize"] = "4" });
        var bots = new List<BotPlatformCredential>();
        for (var i = 0; i < 11; i++)
        {
            bots.Add(await harness.Domain.AddBotAsync());
        }

        var report = await harness.SweepAsync();

        Assert.Equal(11, report.Refreshed);
        Assert.Equal(bots.Select(b => b.BotId).Order(), report.Bots.Select(b => b.BotId).Order());
        Assert.All(bots, b => Assert.Equal(1, harness.Telegram(b).SetCount));
    }
}
