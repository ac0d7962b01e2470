namespace WebhookFunctions.Domain.Errors;

/// <summary>
/// A failure the API maps to one problem response. Each says what went wrong in the service's terms; the API layer
/// words it for the wire (field names, routes). Messages never carry a token or secret.
/// </summary>
internal abstract class WebhookException(string message) : Exception(message);

/// <summary>The bot is unknown or has no active Telegram credential.</summary>
internal sealed class BotNotFoundException(Guid botId)
    : WebhookException($"Bot {botId} has no active Telegram credential.")
{
    public Guid BotId { get; } = botId;
}

/// <summary>The stored credential has no well-formed bot token.</summary>
internal sealed class InvalidCredentialException(Guid botId)
    : WebhookException($"The Telegram credential of bot {botId} has no well-formed token.")
{
    public Guid BotId { get; } = botId;
}

/// <summary>The request's inputs broke one or more of the service's rules, in the order they were checked.</summary>
internal sealed class InvalidInputException(IReadOnlyList<BrokenRule> rules)
    : WebhookException("The request is not valid: " + string.Join("; ", rules.Select(r => $"{r.Input}: {r.GetType().Name}")))
{
    public IReadOnlyList<BrokenRule> Rules { get; } = rules;
}

/// <summary>The bot already has an active Telegram credential, so a second one is refused.</summary>
internal sealed class CredentialAlreadyActiveException(Guid botId)
    : WebhookException($"Bot {botId} already has an active Telegram credential.")
{
    public Guid BotId { get; } = botId;
}

/// <summary>The token's Telegram bot is already held by another bot's active credential. Names that bot id, never the token.</summary>
internal sealed class TelegramBotTakenException(Guid heldByBotId)
    : WebhookException($"This token's Telegram bot is already registered for bot {heldByBotId}.")
{
    public Guid HeldByBotId { get; } = heldByBotId;
}

/// <summary>The public URL for the webhook could not be found (no ngrok tunnel, no domain).</summary>
internal sealed class WebhookUrlUnavailableException(string message) : WebhookException(message);

/// <summary>In Tunnel mode, the bot's webhook points at a deployed domain, and taking it over is not allowed (the message names the setting that allows it).</summary>
internal sealed class WebhookTakeoverRefusedException(Guid botId, string message) : WebhookException(message)
{
    public Guid BotId { get; } = botId;
}
