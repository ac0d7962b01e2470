using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Domain.Webhooks;

/// <summary>Joins Telegram's view of a webhook with the stored one.</summary>
internal static class WebhookStatusMapper
{
    public static WebhookStatus ToStatus(BotPlatformCredential credential, TelegramWebhookInfo info, string? expectedUrl) => new()
    {
        BotId = credential.BotId,
        Url = info.Url.Length == 0 ? null : info.Url,
        HasCustomCertificate = info.HasCustomCertificate,
        PendingUpdateCount = info.PendingUpdateCount,
        IpAddress = info.IpAddress,
        LastErrorDate = info.LastErrorDate,
        LastErrorMessage = info.LastErrorMessage,
        LastSynchronizationErrorDate = info.LastSynchronizationErrorDate,
        MaxConnections = info.MaxConnections,
        AllowedUpdates = info.AllowedUpdates,
        ExpectedUrl = expectedUrl,
        UrlMatches = expectedUrl is not null && string.Equals(info.Url, expectedUrl, StringComparison.Ordinal),
        WebhookEnabled = credential.WebhookEnabled,
        AutoRefresh = credential.WebhookAutoRefresh,
        LastChecked = credential.WebhookLastChecked,
        LastSetAt = credential.WebhookLastSetAt,
        LastCheckOutcome = credential.LastCheckOutcome,
        LastCheckReason = credential.LastCheckReason,
        LastUpdateReceivedAt = credential.LastUpdateReceivedAt,
        Contested = credential.ContestedAt is not null,
        ContestedSince = credential.ContestedAt,
        RivalHost = credential.ContestedHost,
        SweepsUntilProbe = credential.ContestedAt is null ? null : credential.ContestSkipSweeps,
    };
}
