using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Tests.Checking;

// Each rule of the policy, both sides of each boundary. Pure: no database, no HTTP.
public sealed class RefreshPolicyTests
{
    private const string Url = "https://hooks.example.test/v1/api/webhooks/telegram/bot";
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);
    private static readonly CheckerOptions Options = new();

    private static BotPlatformCredential Stored(int? maxConnections = null, List<string>? allowedUpdates = null, DateTime? lastSetAt = null) => new()
    {
        WebhookEnabled = true,
        WebhookUrl = Url,
        WebhookMaxConnections = maxConnections,
        WebhookAllowedUpdates = allowedUpdates,
        WebhookLastSetAt = lastSetAt ?? Now.AddDays(-1),
    };

    private static TelegramWebhookInfo Info(string url = Url, int pending = 0, DateTime? lastErrorAt = null, int? maxConnections = 40, IReadOnlyList<string>? allowedUpdates = null) =>
        new(url, false, pending, null, lastErrorAt, lastErrorAt is null ? null : "Connection refused", null, maxConnections, allowedUpdates);

    private static RefreshDecision Decide(BotPlatformCredential stored, TelegramWebhookInfo info) => RefreshPolicy.Decide(stored, info, Url, Now, Options);

    [Fact]
    public void Matching_webhook_without_errors_or_backlog_is_healthy() =>
        Assert.Equal(RefreshDecision.Healthy, Decide(Stored(), Info()));

    [Fact]
    public void Empty_url_is_refreshed_as_url_missing() =>
        Assert.Equal(RefreshDecision.Refresh(RefreshReason.UrlMissing), Decide(Stored(), Info(url: "")));

    [Theory]
    [InlineData("https://old-tunnel.ngrok-free.app/v1/api/webhooks/telegram/bot")]
    [InlineData("https://hooks.example.test/v1/api/webhooks/telegram/BOT")]
    [InlineData(Url + "/")]
    public void Url_other_than_the_resolvers_is_refreshed_as_url_drifted(string telegramUrl) =>
        Assert.Equal(RefreshDecision.Refresh(RefreshReason.UrlDrifted), Decide(Stored(), Info(url: telegramUrl)));

    [Fact]
    public void Stored_max_connections_that_telegram_does_not_hold_is_config_drifted() =>
        Assert.Equal(RefreshDecision.Refresh(RefreshReason.ConfigDrifted), Decide(Stored(maxConnections: 10), Info(maxConnections: 40)));

    [Fact]
    public void Stored_max_connections_that_telegram_holds_is_healthy() =>
        Assert.Equal(RefreshDecision.Healthy, Decide(Stored(maxConnections: 10), Info(maxConnections: 10)));

    [Fact]
    public void Max_connections_not_stored_is_not_compared() =>
        Assert.Equal(RefreshDecision.Healthy, Decide(Stored(maxConnections: null), Info(maxConnections: 87)));

    [Fact]
    public void Allowed_updates_are_compared_as_sets() =>
        Assert.Equal(RefreshDecision.Healthy, Decide(Stored(allowedUpdates: ["message", "callback_query"]), Info(allowedUpdates: ["callback_query", "message"])));

    [Fact]
    public void Allowed_updates_other_than_stored_are_config_drifted() =>
        Assert.Equal(RefreshDecision.Refresh(RefreshReason.ConfigDrifted), Decide(Stored(allowedUpdates: ["message"]), Info(allowedUpdates: ["message", "callback_query"])));

    [Fact]
    public void Allowed_updates_not_stored_are_not_compared() =>
        Assert.Equal(RefreshDecision.Healthy, Decide(Stored(allowedUpdates: null), Info(allowedUpdates: ["message"])));

    [Fact]
    public void Stored_empty_allowed_updates_match_telegram_leaving_the_field_out() =>
        Assert.Equal(RefreshDecision.Healthy, Decide(Stored(allowedUpdates: []), Info(allowedUpdates: null)));

    [Fact]
    public void Stored_allowed_updates_that_telegram_leaves_out_are_config_drifted() =>
        Assert.Equal(RefreshDecision.Refresh(RefreshReason.ConfigDrifted), Decide(Stored(allowedUpdates: ["message"]), Info(allowedUpdates: null)));

    [Fact]
    public void Error_inside_the_window_and_after_the_last_set_is_refreshed() =>
        Assert.Equal(RefreshDecision.Refresh(RefreshReason.RecentDeliveryError),
            Decide(Stored(lastSetAt: Now.AddHours(-2)), Info(lastErrorAt: Now - Options.RecentErrorWindow + TimeSpan.FromSeconds(1))));

    [Fact]
    public void Error_exactly_one_window_old_is_healthy() =>
        Assert.Equal(RefreshDecision.Healthy, Decide(Stored(lastSetAt: Now.AddHours(-2)), Info(lastErrorAt: Now - Options.RecentErrorWindow)));

    [Fact]
    public void Error_at_the_time_of_the_last_set_is_healthy() =>
        Assert.Equal(RefreshDecision.Healthy, Decide(Stored(lastSetAt: Now.AddMinutes(-10)), Info(lastErrorAt: Now.AddMinutes(-10))));

    [Fact]
    public void Error_one_second_after_the_last_set_is_refreshed() =>
        Assert.Equal(RefreshDecision.Refresh(RefreshReason.RecentDeliveryError),
            Decide(Stored(lastSetAt: Now.AddMinutes(-10)), Info(lastErrorAt: Now.AddMinutes(-10).AddSeconds(1))));

    [Fact]
    public void Recent_error_of_a_bot_never_set_is_refreshed()
    {
        var stored = Stored();
        stored.WebhookLastSetAt = null;

        Assert.Equal(RefreshDecision.Refresh(RefreshReason.RecentDeliveryError), Decide(stored, Info(lastErrorAt: Now.AddMinutes(-1))));
    }

    [Fact]
    public void Pending_count_at_the_threshold_is_healthy() =>
        Assert.Equal(RefreshDecision.Healthy, Decide(Stored(), Info(pending: Options.PendingUpdateThreshold)));

    [Fact]
    public void Pending_count_over_the_threshold_is_refreshed_as_backlog() =>
        Assert.Equal(RefreshDecision.Refresh(RefreshReason.PendingBacklog), Decide(Stored(), Info(pending: Options.PendingUpdateThreshold + 1)));

    [Fact]
    public void Backlog_within_the_cooldown_of_the_last_set_is_skipped() =>
        Assert.Equal(RefreshDecision.Skip(RefreshReason.PendingBacklogCooldown),
            Decide(Stored(lastSetAt: Now - Options.PendingRefreshCooldown + TimeSpan.FromSeconds(1)), Info(pending: 500)));

    [Fact]
    public void Backlog_once_the_cooldown_has_passed_is_refreshed() =>
        Assert.Equal(RefreshDecision.Refresh(RefreshReason.PendingBacklog),
            Decide(Stored(lastSetAt: Now - Options.PendingRefreshCooldown), Info(pending: 500)));

    [Fact]
    public void Threshold_and_windows_come_from_the_options()
    {
        var strict = new CheckerOptions { PendingUpdateThreshold = 5, RecentErrorWindow = TimeSpan.FromMinutes(10) };

        Assert.Equal(RefreshReason.PendingBacklog, RefreshPolicy.Decide(Stored(), Info(pending: 6), Url, Now, strict).Reason);
        Assert.Equal(RefreshDecision.Healthy, RefreshPolicy.Decide(Stored(), Info(lastErrorAt: Now.AddMinutes(-10)), Url, Now, strict));
    }

    [Fact]
    public void Missing_url_wins_over_every_other_rule() =>
        Assert.Equal(RefreshReason.UrlMissing, Decide(Stored(maxConnections: 5), Info(url: "", pending: 1000, lastErrorAt: Now)).Reason);
}
