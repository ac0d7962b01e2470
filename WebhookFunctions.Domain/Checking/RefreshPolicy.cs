using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Domain.Checking;

/// <summary>Decides from getWebhookInfo and the stored state whether a bot's webhook needs setting again.</summary>
internal static class RefreshPolicy
{
    /// <summary>
    /// The first rule that holds wins, in this order: url missing, url drifted, config drifted, recent delivery
    /// error, pending backlog. Pure: every input is an argument.
    /// </summary>
    public static RefreshDecision Decide(BotPlatformCredential stored, TelegramWebhookInfo info, string expectedUrl, DateTime now, CheckerOptions options)
    {
        if (info.Url.Length == 0)
        {
            return RefreshDecision.Refresh(RefreshReason.UrlMissing);
        }
        if (!string.Equals(info.Url, expectedUrl, StringComparison.Ordinal))
        {
            return RefreshDecision.Refresh(RefreshReason.UrlDrifted);
        }
        if (ConfigDrifted(stored, info))
        {
            return RefreshDecision.Refresh(RefreshReason.ConfigDrifted);
        }
        // Only an error since the last set: one old error must not cause a set every sweep for an hour (the seed's bug).
        if (info.LastErrorDate is { } errorAt
            && now - errorAt < options.RecentErrorWindow
            && (stored.WebhookLastSetAt is not { } setAt || errorAt > setAt))
        {
            return RefreshDecision.Refresh(RefreshReason.RecentDeliveryError);
        }
        if (info.PendingUpdateCount > options.PendingUpdateThreshold)
        {
            return stored.WebhookLastSetAt is { } lastSet && now - lastSet < options.PendingRefreshCooldown
                ? RefreshDecision.Skip(RefreshReason.PendingBacklogCooldown)
                : RefreshDecision.Refresh(RefreshReason.PendingBacklog);
        }
        return RefreshDecision.Healthy;
    }

    /// <summary>Only what was stored is compared: null means it was omitted, so Telegram's own value is right.</summary>
    private static bool ConfigDrifted(BotPlatformCredential stored, TelegramWebhookInfo info)
    {
        if (stored.WebhookMaxConnections is { } max && info.MaxConnections != max)
        {
            return true;
        }
        // Telegram may report the default set ([]) by leaving the field out; order carries no meaning.
        return stored.WebhookAllowedUpdates is { } allowed
            && !allowed.ToHashSet(StringComparer.Ordinal).SetEquals(info.AllowedUpdates ?? []);
    }
}

/// <summary>What <see cref="RefreshPolicy"/> decided, and why.</summary>
internal readonly record struct RefreshDecision(RefreshAction Action, RefreshReason? Reason)
{
    public static RefreshDecision Healthy => new(RefreshAction.None, null);

    public static RefreshDecision Refresh(RefreshReason reason) => new(RefreshAction.Refresh, reason);

    public static RefreshDecision Skip(RefreshReason reason) => new(RefreshAction.Skip, reason);
}

/// <summary>What a sweep does with one bot: leave it, set its webhook again, or skip it this time.</summary>
internal enum RefreshAction
{
    /// <summary>Healthy: nothing to do.</summary>
    None,

    /// <summary>setWebhook again with the stored config.</summary>
    Refresh,

    /// <summary>Something is off, but a refresh now would not help (e.g. one happened recently).</summary>
    Skip,
}

/// <summary>Why the checker sets a webhook again (or leaves it): stored in last_check_reason and reported per bot as its snake_case name.</summary>
internal enum RefreshReason
{
    UrlMissing,
    UrlDrifted,
    ConfigDrifted,
    RecentDeliveryError,
    PendingBacklog,
    PendingBacklogCooldown,

    /// <summary>Tunnel mode: Telegram holds a deployed domain's URL, which this service does not take over.</summary>
    ForeignDomain,

    /// <summary>An operator's call did not settle (it failed, or kept racing): its intent is applied with the stored config.</summary>
    OperatorCallUnsettled,

    /// <summary>An unsettled delete or deactivation: Telegram still held this service's URL, which was deleted.</summary>
    WebhookRemoved,

    /// <summary>An unsettled delete or deactivation: Telegram held no webhook of this service (or another credential holds the Telegram bot).</summary>
    NothingToRemove,
}
