using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Domain.Api;

/// <summary>The services' broken rules as the wire names them: each input's field, each rule's words.</summary>
internal static class WireRules
{
    public static RequestValidationException ToValidation(InvalidInputException error)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var rule in error.Rules)
        {
            errors[Field(rule.Input)] = [Words(rule)];
        }
        return new RequestValidationException(errors);
    }

    public static string Field(RequestInput input) => input switch
    {
        RequestInput.Platform => "platform",
        RequestInput.BotToken => "credentials.token",
        RequestInput.IsActive => "is_active",
        RequestInput.SecretToken => "secret_token",
        RequestInput.MaxConnections => "max_connections",
        RequestInput.AllowedUpdates => "allowed_updates",
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, "An input without a wire field."),
    };

    private static string Words(BrokenRule rule) => rule switch
    {
        PlatformNotSupported => $"must be '{Platforms.Telegram}'",
        TokenMissing => "is required",
        TokenMalformed => BotToken.FormatRule,
        TokenNeededToCreate r => $"is required when bot {r.BotId} has no active Telegram credential",
        DeactivationByReplacement r => $"cannot be set to false here; deactivate with DELETE {ApiRoutes.Credential(r.BotId)}, which also removes the webhook",
        SecretTokenMalformed => "must be 1-256 characters of A-Z, a-z, 0-9, _ and -",
        MaxConnectionsOutOfRange => "must be between 1 and 100",
        UpdateTypesUnknown r => $"unknown update type(s) {string.Join(", ", r.Unknown.Select(u => $"'{u}'"))}; known: {string.Join(", ", TelegramUpdateTypes.Names)}",
        UpdateTypeRepeated => "must not repeat an update type",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.GetType().Name, "A rule without wire words."),
    };
}

/// <summary>Routes the problem details point operators to.</summary>
internal static class ApiRoutes
{
    /// <summary>The bot's Telegram credential: PUT replaces it, DELETE deactivates it.</summary>
    public static string Credential(Guid botId) => $"/v1/api/bots/{botId}/platforms/telegram";
}
