namespace WebhookFunctions.Domain.Telegram;

/// <summary>The three Bot API calls this service makes. Failures surface as <see cref="TelegramApiException"/>.</summary>
internal interface ITelegramGateway
{
    Task SetWebhookAsync(string token, WebhookRegistration registration, CancellationToken cancellationToken);

    Task<TelegramWebhookInfo> GetWebhookInfoAsync(string token, CancellationToken cancellationToken);

    Task DeleteWebhookAsync(string token, bool dropPendingUpdates, CancellationToken cancellationToken);
}

/// <summary>The arguments of one setWebhook call.</summary>
internal sealed record WebhookRegistration(
    string Url,
    string SecretToken,
    int? MaxConnections,
    IReadOnlyList<string>? AllowedUpdates,
    bool DropPendingUpdates);

/// <summary>getWebhookInfo's answer, dates in UTC.</summary>
internal sealed record TelegramWebhookInfo(
    string Url,
    bool HasCustomCertificate,
    int PendingUpdateCount,
    string? IpAddress,
    DateTime? LastErrorDate,
    string? LastErrorMessage,
    DateTime? LastSynchronizationErrorDate,
    int? MaxConnections,
    IReadOnlyList<string>? AllowedUpdates);
