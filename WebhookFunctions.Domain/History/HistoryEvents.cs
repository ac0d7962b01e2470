namespace WebhookFunctions.Domain.History;

/// <summary>The entries operators' calls and the checker add; <see cref="WebhookHistory"/> stamps the time.</summary>
internal static class HistoryEvents
{
    public static WebhookHistoryEntry Registered(Guid botId) => New(botId, HistoryKinds.Registered, HistoryActors.Api);

    public static WebhookHistoryEntry TokenReplaced(Guid botId) => New(botId, HistoryKinds.TokenReplaced, HistoryActors.Api);

    /// <summary><paramref name="webhookError"/>: why the webhook could not be deleted at Telegram, if it could not.</summary>
    public static WebhookHistoryEntry Deactivated(Guid botId, string? webhookError)
    {
        var entry = New(botId, HistoryKinds.Deactivated, HistoryActors.Api);
        entry.Message = webhookError;
        return entry;
    }

    public static WebhookHistoryEntry WebhookSet(Guid botId, string actor, string url, string? reason = null)
    {
        var entry = New(botId, HistoryKinds.WebhookSet, actor);
        entry.Url = url;
        entry.Reason = reason;
        return entry;
    }

    public static WebhookHistoryEntry WebhookDeleted(Guid botId, bool dropPendingUpdates)
    {
        var entry = New(botId, HistoryKinds.WebhookDeleted, HistoryActors.Api);
        entry.Reason = dropPendingUpdates ? "drop_pending_updates" : null;
        return entry;
    }

    public static WebhookHistoryEntry StateChanged(Guid botId, string actor, string from, string to, string? reason, string? message)
    {
        var entry = New(botId, HistoryKinds.StateChanged, actor);
        entry.FromState = from;
        entry.ToState = to;
        entry.Reason = reason;
        entry.Message = message;
        return entry;
    }

    public static WebhookHistoryEntry DeliveryError(Guid botId, DateTime errorAt, string? message)
    {
        var entry = New(botId, HistoryKinds.DeliveryError, HistoryActors.Telegram);
        entry.TelegramErrorAt = errorAt;
        entry.Message = message;
        return entry;
    }

    private static WebhookHistoryEntry New(Guid botId, string kind, string actor) => new() { BotId = botId, Kind = kind, Actor = actor };
}
