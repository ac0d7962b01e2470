using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Startup;

namespace WebhookFunctions.Domain.Urls;

/// <summary>The decision table that picks Tunnel (ngrok) or Domain mode, with the row that decided.</summary>
internal sealed record WebhookEnvironment(WebhookMode Mode, string Reason)
{
    /// <summary>Applies the table in order; the first row that matches wins. Throws <see cref="OptionsValidationException"/> when Webhook:Mode is not a mode.</summary>
    public static WebhookEnvironment Detect(IConfiguration configuration) =>
        Decide(configuration, out var invalidMode) ?? throw InvalidMode(invalidMode!);

    /// <summary>The table's answer, or null with the message that names a bad Webhook:Mode.</summary>
    internal static WebhookEnvironment? Decide(IConfiguration configuration, out string? invalidMode)
    {
        invalidMode = null;
        // 1. An explicit choice wins.
        if (configuration["Webhook:Mode"] is { } mode && !string.IsNullOrWhiteSpace(mode))
        {
            // By name only: Enum.TryParse would also take "1" or "Domain,Tunnel".
            foreach (var candidate in Enum.GetValues<WebhookMode>())
            {
                if (candidate.ToString().Equals(mode.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return new(candidate, $"Webhook:Mode={mode.Trim()}");
                }
            }
            invalidMode = $"Webhook:Mode must be 'Tunnel' or 'Domain' (or empty to detect), not '{mode}'.";
            return null;
        }
        if (string.Equals(configuration["USE_NGROK"]?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return new(WebhookMode.Tunnel, "USE_NGROK=true");
        }

        // 2. Running in Azure App Service / Functions.
        if (!string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]))
        {
            return new(WebhookMode.Domain, "WEBSITE_INSTANCE_ID is set (running in Azure)");
        }

        // 3. Local development, by the rule the management key follows too.
        if (DevelopmentEnvironment.Detect(configuration).Marker is { } marker)
        {
            return new(WebhookMode.Tunnel, marker);
        }

        // 4. Otherwise a deployment with a domain.
        return new(WebhookMode.Domain, "no development marker found");
    }

    /// <summary>An options failure, so start-up reports it together with every other bad setting.</summary>
    internal static OptionsValidationException InvalidMode(string message) =>
        new(WebhookOptions.Section, typeof(WebhookOptions), [message]);
}
