using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Checking;

/// <summary>Which credentials a sweep checks.</summary>
internal static class CheckCandidates
{
    /// <summary>
    /// Telegram credentials with a token Telegram has not rejected, not checked by a sweep since
    /// <paramref name="checkedBefore"/>, that are either active with auto-refresh on and a webhook that is enabled or was
    /// never set, or unsettled: an operator's call whose intent Telegram is not known to hold (active or not, whatever
    /// auto-refresh says, since finishing the operator's own call is no repair). "Never set" is: not enabled, no URL,
    /// no successful set, and not disabled by the delete endpoint (which records the outcome "disabled").
    /// </summary>
    public static IQueryable<BotPlatformCredential> Due(this IQueryable<BotPlatformCredential> credentials, DateTime checkedBefore) =>
        credentials.Where(c => c.Platform == Platforms.Telegram && !c.TokenRejected)
            .Where(c => (c.IsActive && c.WebhookAutoRefresh && (c.WebhookEnabled
                    || (c.WebhookUrl == null && c.WebhookLastSetAt == null && c.LastCheckOutcome != CheckOutcome.Disabled)))
                || c.IntentGeneration != c.AppliedGeneration)
            // The checker's own clock: a status read (which sets webhook_last_checked) must not postpone a repair.
            .Where(c => c.LastSweptAt == null || c.LastSweptAt <= checkedBefore);

    /// <summary>
    /// True when nothing an operator or the platform decides changed between two reads of a row, only bookkeeping
    /// (last checked, pending count, last update received): then the checker may record its outcome over it.
    /// </summary>
    public static bool SameIntent(BotPlatformCredential read, BotPlatformCredential now) =>
        read.IsActive == now.IsActive
        && read.IntentGeneration == now.IntentGeneration
        && read.Credentials == now.Credentials
        && read.WebhookEnabled == now.WebhookEnabled
        && read.WebhookAutoRefresh == now.WebhookAutoRefresh
        && read.WebhookUrl == now.WebhookUrl
        && read.WebhookSecret == now.WebhookSecret
        && read.WebhookMaxConnections == now.WebhookMaxConnections
        && (read.WebhookAllowedUpdates ?? []).SequenceEqual(now.WebhookAllowedUpdates ?? [])
        && (read.WebhookAllowedUpdates is null) == (now.WebhookAllowedUpdates is null)
        && read.WebhookLastSetAt == now.WebhookLastSetAt
        && read.TokenRejected == now.TokenRejected
        && read.ContestedAt == now.ContestedAt;

    /// <summary>An operator's call whose intent Telegram is not known to hold yet (in flight, failed, or interrupted).</summary>
    public static bool Unsettled(this BotPlatformCredential c) => c.IntentGeneration != c.AppliedGeneration;

    /// <summary>What a sweep sets a webhook for: an active bot whose webhook is enabled, or never set (with auto-refresh on).</summary>
    public static bool SweepSetsWebhook(this BotPlatformCredential c) =>
        c.IsActive && (c.WebhookEnabled
            || (c.WebhookAutoRefresh && c.WebhookUrl == null && c.WebhookLastSetAt == null && c.LastCheckOutcome != CheckOutcome.Disabled));
}
