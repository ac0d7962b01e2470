using WebhookFunctions.Domain.Credentials;

namespace WebhookFunctions.Domain.Checking;

/// <summary>Which credentials a sweep checks.</summary>
internal static class CheckCandidates
{
    /// <summary>
    /// Active telegram credentials with auto-refresh on and a token Telegram has not rejected, not checked by a sweep
    /// since <paramref name="checkedBefore"/>, whose webhook is enabled or was never set. "Never set" is: not enabled, no
    /// URL, no successful set, and not disabled by the delete endpoint (which records the outcome "disabled").
    /// </summary>
    public static IQueryable<BotPlatformCredential> Due(this IQueryable<BotPlatformCredential> credentials, DateTime checkedBefore) =>
        credentials.ActiveTelegram()
            .Where(c => c.WebhookAutoRefresh && !c.TokenRejected)
            .Where(c => c.WebhookEnabled
                || (c.WebhookUrl == null && c.WebhookLastSetAt == null && c.LastCheckOutcome != CheckOutcomes.Disabled))
            // The checker's own clock: a status read (which sets webhook_last_checked) must not postpone a repair.
            .Where(c => c.LastSweptAt == null || c.LastSweptAt <= checkedBefore);

    /// <summary>
    /// True when nothing an operator or the platform decides changed between two reads of a row, only bookkeeping
    /// (last checked, pending count, last update received): then the checker may record its outcome over it.
    /// </summary>
    public static bool SameIntent(BotPlatformCredential read, BotPlatformCredential now) =>
        read.IsActive == now.IsActive
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
}
