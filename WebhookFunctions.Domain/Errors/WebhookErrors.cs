namespace WebhookFunctions.Domain.Errors;

/// <summary>A failure the API maps to one problem response. Messages never carry a token or secret.</summary>
internal abstract class WebhookException(string message) : Exception(message);

/// <summary>The bot is unknown or has no active Telegram credential.</summary>
internal sealed class BotNotFoundException(Guid botId)
    : WebhookException($"Bot {botId} has no active Telegram credential.")
{
    public Guid BotId { get; } = botId;
}

/// <summary>The stored credential has no well-formed bot token.</summary>
internal sealed class InvalidCredentialException(Guid botId)
    : WebhookException($"The Telegram credential of bot {botId} has no well-formed token ({Persistence.BotToken.FormatRule}); replace it with PUT /v1/api/bots/{botId}/platforms/telegram.")
{
    public Guid BotId { get; } = botId;
}

/// <summary>The request broke one or more rules; keys are the wire field names.</summary>
internal sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : WebhookException("The request is not valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string rule) => new(new Dictionary<string, string[]> { [field] = [rule] });
}

/// <summary>The request conflicts with what is stored (e.g. a second active credential).</summary>
internal sealed class ConflictException(string message) : WebhookException(message);

/// <summary>The token's Telegram bot is already held by another bot's active credential. Names that bot id, never the token.</summary>
internal sealed class TelegramBotTakenException(Guid heldByBotId)
    : WebhookException($"This token's Telegram bot is already registered for bot {heldByBotId}; one Telegram bot can serve one bot id. Deactivate it there first (DELETE /v1/api/bots/{heldByBotId}/platforms/telegram), or use the token of another Telegram bot.")
{
    public Guid HeldByBotId { get; } = heldByBotId;
}

/// <summary>The public URL for the webhook could not be found (no ngrok tunnel, no domain).</summary>
internal sealed class WebhookUrlUnavailableException(string message) : WebhookException(message);

/// <summary>In Tunnel mode, the bot's webhook points at a deployed domain, and taking it over is not allowed.</summary>
internal sealed class WebhookTakeoverRefusedException(Guid botId, string? holder)
    : WebhookException($"The webhook of bot {botId} points at {holder ?? "another service"}, a deployed domain, and this service runs in Tunnel mode: it does not take over a deployed bot's webhook. To take it over anyway, set {Urls.WebhookTakeoverGuard.Setting}=true (environment variable {Urls.WebhookTakeoverGuard.EnvironmentSetting}).")
{
    public Guid BotId { get; } = botId;
}
