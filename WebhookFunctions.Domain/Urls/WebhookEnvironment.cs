using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Urls;

/// <summary>The decision table that picks Tunnel (ngrok) or Domain mode, with the row that decided.</summary>
public sealed record WebhookEnvironment(WebhookMode Mode, string Reason)
{
    private static readonly string[] DevelopmentEnvironmentVariables = ["AZURE_FUNCTIONS_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"];
    private static readonly string[] SeedLocalEnvValues = ["local", "development", "dev"];

    /// <summary>Applies the table in order; the first row that matches wins. Throws <see cref="OptionsValidationException"/> when Webhook:Mode is not a mode.</summary>
    public static WebhookEnvironment Detect(IConfiguration configuration)
    {
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
            // An options failure, so start-up reports it together with every other bad setting.
            throw new OptionsValidationException(WebhookOptions.Section, typeof(WebhookOptions),
                [$"Webhook:Mode must be 'Tunnel' or 'Domain' (or empty to detect), not '{mode}'."]);
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

        // 3. Local development.
        foreach (var name in DevelopmentEnvironmentVariables)
        {
            if (string.Equals(configuration[name], "Development", StringComparison.OrdinalIgnoreCase))
            {
                return new(WebhookMode.Tunnel, $"{name}=Development");
            }
        }
        if (configuration["ENV"] is { } env && SeedLocalEnvValues.Contains(env.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            return new(WebhookMode.Tunnel, $"ENV={env}");
        }
        if (string.Equals(configuration["AzureWebJobsStorage"]?.Trim(), "UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
        {
            return new(WebhookMode.Tunnel, "AzureWebJobsStorage=UseDevelopmentStorage=true (Azurite)");
        }

        // 4. Otherwise a deployment with a domain.
        return new(WebhookMode.Domain, "no development marker found");
    }
}
