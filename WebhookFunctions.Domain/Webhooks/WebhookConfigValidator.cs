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

    public static bool IsValidSecret(string? secret) => secret is not null && SecretShape().IsMatch(secret);

    /// <summary>Throws <see cref="InvalidInputException"/> naming every rule the config breaks.</summary>
    public static void EnsureValid(WebhookConfig config)
    {
        var broken = new List<BrokenRule>();
        if (config.SecretToken is not null && !IsValidSecret(config.SecretToken))
        {
            broken.Add(new SecretTokenMalformed());
        }
        if (config.MaxConnections is < 1 or > 100)
        {
            broken.Add(new MaxConnectionsOutOfRange());
        }
        if (config.AllowedUpdates is { } types)
        {
            var unknown = types.Where(t => t is null || !TelegramUpdateTypes.IsKnown(t)).Select(t => t ?? "null").Distinct().ToArray();
            if (unknown.Length > 0)
            {
                broken.Add(new UpdateTypesUnknown(unknown));
            }
            else if (types.Distinct(StringComparer.Ordinal).Count() != types.Count)
            {
                broken.Add(new UpdateTypeRepeated());
            }
        }
        if (broken.Count > 0)
        {
            throw new InvalidInputException(broken);
        }
    }
}
