using System.Text.RegularExpressions;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Domain.Webhooks;

/// <summary>Telegram's rules for setWebhook's arguments, checked before Telegram is called.</summary>
internal static partial class WebhookConfigValidator
{
    // \z, not $: $ also matches before a final "\n", and a secret stored with it fails every delivery.
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,256}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SecretShape();

    public const string SecretTokenRule = "must be 1-256 characters of A-Z, a-z, 0-9, _ and -";
    public const string MaxConnectionsRule = "must be between 1 and 100";

    public static bool IsValidSecret(string? secret) => secret is not null && SecretShape().IsMatch(secret);

    /// <summary>Throws <see cref="RequestValidationException"/> naming every field that breaks a rule.</summary>
    public static void EnsureValid(WebhookConfig config)
    {
        var errors = new Dictionary<string, string[]>();
        if (config.SecretToken is not null && !IsValidSecret(config.SecretToken))
        {
            errors["secret_token"] = [SecretTokenRule];
        }
        if (config.MaxConnections is < 1 or > 100)
        {
            errors["max_connections"] = [MaxConnectionsRule];
        }
        if (config.AllowedUpdates is { } types)
        {
            var unknown = types.Where(t => t is null || !TelegramUpdateTypes.IsKnown(t)).Select(t => t ?? "null").Distinct().ToArray();
            if (unknown.Length > 0)
            {
                errors["allowed_updates"] = [$"unknown update type(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; known: {string.Join(", ", TelegramUpdateTypes.Names)}"];
            }
            else if (types.Distinct(StringComparer.Ordinal).Count() != types.Count)
            {
                errors["allowed_updates"] = ["must not repeat an update type"];
            }
        }
        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }
    }
}
