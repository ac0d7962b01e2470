using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.History;

/// <summary>The entries operators' calls and the checker add; <see cref="WebhookHistory"/> stamps the time.</summary>
internal static class HistoryEvents
{
    public static WebhookHistoryEntry Registered(Guid botId) => New(botId, HistoryKind.Registered, HistoryActor.Api);

    public static WebhookHistoryEntry TokenReplaced(Guid botId) => New(botId, HistoryKind.TokenReplaced, HistoryActor.Api);

    /// <summary><paramref name="webhookError"/>: why the webhook could not be deleted at Telegram, if it could not.</summary>
    public static WebhookHistoryEntry Deactivated(Guid botId, string? webhookError)
    {
        var entry = New(botId, HistoryKind.Deactivated, HistoryActor.Api);
        entry.Message = webhookError;
        return entry;
    }

    public static WebhookHistoryEntry WebhookSet(Guid botId, HistoryActor actor, string url, string? reason = null)
    {
        var entry = New(botId, HistoryKind.WebhookSet, actor);
        entry.Url = url;
        entry.Reason = reason;
        return entry;
    }

    public static WebhookHistoryEntry WebhookDeleted(Guid botId, bool dropPendingUpdates)
    {
        var entry = New(botId, HistoryKind.WebhookDeleted, HistoryActor.Api);
        entry.Reason = dropPendingUpdates ? "drop_pending_updates" : null;
        return entry;
    }

    public static WebhookHistoryEntry StateChanged(Guid botId, HistoryActor actor, BotState from, BotState to, string? reason, string? message)
    {
        var entry = New(botId, HistoryKind.StateChanged, actor);
        entry.FromState = from;
        entry.ToState = to;
        entry.Reason = reason;
        entry.Message = message;
        return entry;
    }

    public static WebhookHistoryEntry DeliveryError(Guid botId, DateTime errorAt, string? message)
    {
        var entry = New(botId, HistoryKind.DeliveryError, HistoryActor.Telegram);
        entry.TelegramErrorAt = errorAt;
        entry.Message = message;
        return entry;
    }

    private static WebhookHistoryEntry New(Guid botId, HistoryKind kind, HistoryActor actor) => new() { BotId = botId, Kind = kind, Actor = actor };
}
