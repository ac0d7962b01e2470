using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.Tests.Checking;

// What a sweep repairs and what it leaves alone, through the Bot API stand-in over HTTP and a migrated SQLite file.
public sealed class SweepRepairTests : CheckerTestBase
{
    [Fact]
    public async Task Healthy_bot_is_checked_and_recorded_without_a_set()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.Telegram(bot).PendingUpdateCount = 3;
        Harness.BotApi.ClearCalls();

        var report = await Harness.SweepAsync();

        Assert.Equal(SweepStatus.Completed, report.Status);
        Assert.Equal((1, 1, 0), (report.Checked, report.Healthy, report.Refreshed));
        Assert.Empty(Harness.BotApi.CallsOf("setWebhook"));
        var stored = await Harness.ReloadAsync(bot);
        Assert.Equal(CheckOutcome.Healthy, stored.LastCheckOutcome);
        Assert.Null(stored.LastCheckReason);
        Assert.Equal(Harness.Now, stored.WebhookLastChecked);
        Assert.Equal(3, stored.LastPendingUpdateCount);
        Assert.NotEqual(bot.ConcurrencyStamp, stored.ConcurrencyStamp);
    }

    [Fact]
    public async Task Empty_url_at_telegram_is_set_again_with_the_stored_secret_and_config()
    {
        var bot = await Harness.AddSetBotAsync(new WebhookConfig { SecretToken = "stored_secret", MaxConnections = 7, AllowedUpdates = ["message"] });
        Harness.Telegram(bot).Url = "";

        var report = await Harness.SweepAsync();

        var line = Assert.Single(report.Bots);
        Assert.Equal((CheckOutcome.Refreshed, SnakeCase.Of(RefreshReason.UrlMissing)), (line.Outcome, line.Reason));
        var call = Harness.BotApi.CallsOf("setWebhook").Last().Arguments;
        Assert.Equal(CheckerHarness.ExpectedUrl(bot), call["url"]!.GetValue<string>());
        Assert.Equal("stored_secret", call["secret_token"]!.GetValue<string>());
        Assert.Equal(7, call["max_connections"]!.GetValue<int>());
        Assert.Equal(["message"], call["allowed_updates"]!.AsArray().Select(n => n!.GetValue<string>()));
        var stored = await Harness.ReloadAsync(bot);
        Assert.Equal(Harness.Now, stored.WebhookLastSetAt);
        Assert.Equal(CheckerHarness.ExpectedUrl(bot), stored.WebhookUrl);
    }

    [Fact]
    public async Task Drifted_url_is_set_to_the_url_the_resolver_gives_now()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.Telegram(bot).Url = $"https://old-tunnel.ngrok-free.app/v1/api/webhooks/telegram/{bot.BotId}";

        var report = await Harness.SweepAsync();

        Assert.Equal(SnakeCase.Of(RefreshReason.UrlDrifted), Assert.Single(report.Bots).Reason);
        Assert.Equal(CheckerHarness.ExpectedUrl(bot), Harness.Telegram(bot).Url);
        Assert.Equal(SnakeCase.Of(RefreshReason.UrlDrifted), (await Harness.ReloadAsync(bot)).LastCheckReason);
    }

    [Fact]
    public async Task Config_changed_at_telegram_is_set_back_to_the_stored_config()
    {
        var bot = await Harness.AddSetBotAsync(new WebhookConfig { MaxConnections = 5 });
        Harness.Telegram(bot).MaxConnections = 40;

        var report = await Harness.SweepAsync();

        Assert.Equal(SnakeCase.Of(RefreshReason.ConfigDrifted), Assert.Single(report.Bots).Reason);
        Assert.Equal(5, Harness.Telegram(bot).MaxConnections);
    }

    [Fact]
    public async Task Repair_never_drops_pending_updates()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.Telegram(bot).Url = "";
        Harness.Telegram(bot).PendingUpdateCount = 42;
        Harness.BotApi.ClearCalls();

        await Harness.SweepAsync();

        var call = Assert.Single(Harness.BotApi.CallsOf("setWebhook")).Arguments;
        Assert.False(call.TryGetPropertyValue("drop_pending_updates", out var drop) && drop!.ToString() is "true" or "True");
        Assert.Equal(42, Harness.Telegram(bot).PendingUpdateCount);
    }

    [Fact]
    public async Task Delivery_error_since_the_last_set_is_repaired_once()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.Telegram(bot).LastErrorDate = Harness.Clock.GetUtcNow().AddMinutes(-1);

        var first = await Harness.SweepAsync();
        Harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await Harness.SweepAsync();

        Assert.Equal(SnakeCase.Of(RefreshReason.RecentDeliveryError), Assert.Single(first.Bots).Reason);
        Assert.Equal(CheckOutcome.Healthy, Assert.Single(second.Bots).Outcome);
    }

    [Fact]
    public async Task Backlog_soon_after_a_set_is_recorded_as_skipped_without_a_set()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.Telegram(bot).PendingUpdateCount = 101;
        Harness.BotApi.ClearCalls();

        var report = await Harness.SweepAsync();

        Assert.Equal((CheckOutcome.Skipped, SnakeCase.Of(RefreshReason.PendingBacklogCooldown)), (report.Bots[0].Outcome, report.Bots[0].Reason));
        Assert.Equal(1, report.Skipped);
        Assert.Empty(Harness.BotApi.CallsOf("setWebhook"));
        Assert.Equal(CheckOutcome.Skipped, (await Harness.ReloadAsync(bot)).LastCheckOutcome);
    }

    [Fact]
    public async Task Newly_registered_bot_with_auto_refresh_gets_its_webhook_set_with_a_new_secret()
    {
        var bot = await Harness.Domain.AddBotAsync();

        var report = await Harness.SweepAsync();

        Assert.Equal((CheckOutcome.Refreshed, SnakeCase.Of(RefreshReason.UrlMissing)), (report.Bots[0].Outcome, report.Bots[0].Reason));
        var stored = await Harness.ReloadAsync(bot);
        Assert.True(stored.WebhookEnabled);
        Assert.Equal(CheckerHarness.ExpectedUrl(bot), stored.WebhookUrl);
        Assert.True(WebhookConfigValidator.IsValidSecret(stored.WebhookSecret));
        Assert.Equal(stored.WebhookSecret, Harness.Telegram(bot).SecretToken);
        Assert.Equal(CheckerHarness.ExpectedUrl(bot), Harness.Telegram(bot).Url);
    }

    [Fact]
    public async Task Webhook_disabled_through_delete_is_left_untouched()
    {
        var bot = await Harness.AddSetBotAsync();
        await Harness.DeleteViaApiAsync(bot);
        Harness.Clock.Advance(TimeSpan.FromMinutes(5));
        Harness.BotApi.ClearCalls();

        var report = await Harness.SweepAsync();

        Assert.Equal(0, report.Checked);
        Assert.Empty(Harness.BotApi.Calls);
        Assert.Equal("", Harness.Telegram(bot).Url);
        var stored = await Harness.ReloadAsync(bot);
        Assert.False(stored.WebhookEnabled);
        Assert.Equal(CheckOutcome.Disabled, stored.LastCheckOutcome);
    }

    [Fact]
    public async Task Bot_deleted_before_its_webhook_was_ever_set_is_not_set()
    {
        var bot = await Harness.Domain.AddBotAsync();
        await Harness.DeleteViaApiAsync(bot);
        Harness.Clock.Advance(TimeSpan.FromMinutes(5));

        var report = await Harness.SweepAsync();

        Assert.Equal(0, report.Checked);
        Assert.Equal("", Harness.Telegram(bot).Url);
    }

    [Fact]
    public async Task Bot_with_auto_refresh_off_is_not_checked()
    {
        var bot = await Harness.AddSetBotAsync(configure: c => c.WebhookAutoRefresh = false);
        Harness.Telegram(bot).Url = "";
        Harness.BotApi.ClearCalls();

        var report = await Harness.SweepAsync();

        Assert.Equal(0, report.Checked);
        Assert.Empty(Harness.BotApi.Calls);
    }

    [Fact]
    public async Task Inactive_credential_is_not_checked()
    {
        await Harness.Domain.AddBotAsync(c => c.IsActive = false);

        var report = await Harness.SweepAsync();

        Assert.Equal(0, report.Checked);
        Assert.Empty(Harness.BotApi.Calls);
    }

    [Fact]
    public async Task Bot_checked_less_than_the_minimum_interval_ago_waits_for_a_later_sweep()
    {
        var bot = await Harness.Domain.AddBotAsync();
        await Harness.SetViaApiAsync(bot);
        Assert.Equal(1, (await Harness.SweepAsync()).Checked);

        Harness.Clock.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        var early = await Harness.SweepAsync();
        Harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var due = await Harness.SweepAsync();

        Assert.Equal(0, early.Checked);
        Assert.Equal(1, due.Checked);
    }

    [Fact]
    public async Task Status_reads_do_not_postpone_a_repair()
    {
        var bot = await Harness.AddSetBotAsync();
        Assert.Equal(1, (await Harness.SweepAsync()).Checked);
        Harness.Domain.BotApi.Bot(BotToken.Read(bot.Credentials)!).Url = "";

        // A dashboard polling status every minute: each read sets webhook_last_checked.
        for (var minute = 0; minute < 5; minute++)
        {
            Harness.Clock.Advance(TimeSpan.FromMinutes(1));
            await Harness.Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookService>().GetStatusAsync(bot.BotId, default));
        }
        var report = await Harness.SweepAsync();

        Assert.Equal(1, report.Refreshed);
        Assert.Equal("url_missing", Assert.Single(report.Bots).Reason);
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
