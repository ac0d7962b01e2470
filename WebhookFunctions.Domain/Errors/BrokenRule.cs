namespace WebhookFunctions.Domain.Errors;

/// <summary>An input of an operator's request, in the service's terms; the API layer knows each one's wire field.</summary>
internal enum RequestInput
{
    Platform,
    BotToken,
    IsActive,
    SecretToken,
    MaxConnections,
    AllowedUpdates,
}

/// <summary>A rule of the service that one input of a request broke (see <see cref="InvalidInputException"/>).</summary>
internal abstract record BrokenRule(RequestInput Input);

/// <summary>Only Telegram credentials are kept.</summary>
internal sealed record PlatformNotSupported() : BrokenRule(RequestInput.Platform);

/// <summary>No bot token was given where one is needed.</summary>
internal sealed record TokenMissing() : BrokenRule(RequestInput.BotToken);

/// <summary>The bot token does not have the shape Telegram gives tokens (<see cref="Persistence.BotToken.FormatRule"/>).</summary>
internal sealed record TokenMalformed() : BrokenRule(RequestInput.BotToken);

/// <summary>A replacement that creates the bot's credential (it has no active one) must bring a token.</summary>
internal sealed record TokenNeededToCreate(Guid BotId) : BrokenRule(RequestInput.BotToken);

/// <summary>A replacement may not deactivate the credential: deactivating also removes the webhook, elsewhere.</summary>
internal sealed record DeactivationByReplacement(Guid BotId) : BrokenRule(RequestInput.IsActive);

/// <summary>The webhook secret breaks Telegram's alphabet or length (1-256 of A-Z a-z 0-9 _ -).</summary>
internal sealed record SecretTokenMalformed() : BrokenRule(RequestInput.SecretToken);

/// <summary>Telegram allows 1-100 webhook connections.</summary>
internal sealed record MaxConnectionsOutOfRange() : BrokenRule(RequestInput.MaxConnections);

/// <summary>Update types Telegram does not know (a missing name is "null").</summary>
internal sealed record UpdateTypesUnknown(IReadOnlyList<string> Unknown) : BrokenRule(RequestInput.AllowedUpdates);

/// <summary>An update type is listed more than once.</summary>
internal sealed record UpdateTypeRepeated() : BrokenRule(RequestInput.AllowedUpdates);
