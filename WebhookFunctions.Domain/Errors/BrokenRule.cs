namespace WebhookFunctions.Domain.Errors;

/// <summary>An input of an operator's request, in the service's terms; the API layer knows each one's wire field.</summary>
public enum RequestInput
{
    Platform,
    BotToken,
    IsActive,
    SecretToken,
    MaxConnections,
    AllowedUpdates,
}

/// <summary>A rule of the service that one input of a request broke (see <see cref="InvalidInputException"/>).</summary>
public abstract record BrokenRule(RequestInput Input);

/// <summary>Only Telegram credentials are kept.</summary>
public sealed record PlatformNotSupported() : BrokenRule(RequestInput.Platform);

/// <summary>No bot token was given where one is needed.</summary>
public sealed record TokenMissing() : BrokenRule(RequestInput.BotToken);

/// <summary>The bot token does not have the shape Telegram gives tokens (<see cref="Persistence.BotToken.FormatRule"/>).</summary>
public sealed record TokenMalformed() : BrokenRule(RequestInput.BotToken);

/// <summary>A replacement that creates the bot's credential (it has no active one) must bring a token.</summary>
public sealed record TokenNeededToCreate(Guid BotId) : BrokenRule(RequestInput.BotToken);

/// <summary>A replacement may not deactivate the credential: deactivating also removes the webhook, elsewhere.</summary>
public sealed record DeactivationByReplacement(Guid BotId) : BrokenRule(RequestInput.IsActive);

/// <summary>The webhook secret breaks Telegram's alphabet or length (1-256 of A-Z a-z 0-9 _ -).</summary>
public sealed record SecretTokenMalformed() : BrokenRule(RequestInput.SecretToken);

/// <summary>Telegram allows 1-100 webhook connections.</summary>
public sealed record MaxConnectionsOutOfRange() : BrokenRule(RequestInput.MaxConnections);

/// <summary>Update types Telegram does not know (a missing name is "null").</summary>
public sealed record UpdateTypesUnknown(IReadOnlyList<string> Unknown) : BrokenRule(RequestInput.AllowedUpdates);

/// <summary>An update type is listed more than once.</summary>
public sealed record UpdateTypeRepeated() : BrokenRule(RequestInput.AllowedUpdates);
