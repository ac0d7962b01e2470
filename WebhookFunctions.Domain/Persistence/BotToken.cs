using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>Reads, checks and masks Telegram bot tokens ("123456:secret-part").</summary>
internal static partial class BotToken
{
    // Bot id, a colon, then the secret part (Telegram issues 35 characters; allow some slack). \z, not $: $ also
    // matches before a final "\n", which would then be stored and sent to Telegram.
    [GeneratedRegex(@"^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    public const string FormatRule = "must look like '<digits>:<secret>' (the bot id, a colon, then 20-100 of A-Z a-z 0-9 _ -)";

    public static bool IsWellFormed([NotNullWhen(true)] string? token) => token is not null && Shape().IsMatch(token);

    /// <summary>The bot id and a few characters of the secret, safe to show: "123456:AB...yz".</summary>
    public static string Mask(string? token)
    {
        if (!IsWellFormed(token))
        {
            return "(invalid)";
        }
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        var secret = token[(colon + 1)..];
        return $"{token[..colon]}:{secret[..2]}...{secret[^2..]}";
    }

    /// <summary>The Telegram bot id of a well-formed token (the digits before the colon), or null.</summary>
    public static string? TelegramBotId(string? token) => IsWellFormed(token) ? token[..token.IndexOf(':', StringComparison.Ordinal)] : null;

    /// <summary>The token stored under "token" in a credentials JSON document, or null.</summary>
    public static string? Read(string credentialsJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(credentialsJson);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("token", out var token)
                && token.ValueKind == JsonValueKind.String
                ? token.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string ToCredentialsJson(string token) => JsonSerializer.Serialize(new Dictionary<string, string> { ["token"] = token });
}
