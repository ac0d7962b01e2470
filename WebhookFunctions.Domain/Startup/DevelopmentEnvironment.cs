using Microsoft.Extensions.Configuration;

namespace WebhookFunctions.Domain.Startup;

/// <summary>
/// The one rule for "this runs on a developer's machine", decided once from configuration. It picks Tunnel mode
/// (row 3 of the webhook URL table) and lets the management API start without Auth:ApiKeys (a key is generated
/// for the run). Read from configuration rather than IHostEnvironment: the Functions worker does not reliably carry
/// AZURE_FUNCTIONS_ENVIRONMENT into its host environment, and both hosts must decide alike.
/// </summary>
/// <param name="Marker">The setting that made it development, e.g. "ASPNETCORE_ENVIRONMENT=Development"; null when none did.</param>
internal sealed record DevelopmentEnvironment(string? Marker)
{
    // "environment" is the host's own setting: --environment, and ASPNETCORE_ENVIRONMENT / DOTNET_ENVIRONMENT as the host maps them.
    private static readonly string[] EnvironmentNameSettings = ["environment", "AZURE_FUNCTIONS_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"];
    private static readonly string[] SeedLocalEnvValues = ["local", "development", "dev"];

    public static readonly DevelopmentEnvironment None = new((string?)null);

    public bool IsDevelopment => Marker is not null;

    /// <summary>The first marker that holds, in the order of the table in README (Configuration).</summary>
    public static DevelopmentEnvironment Detect(IConfiguration configuration)
    {
        foreach (var name in EnvironmentNameSettings)
        {
            if (string.Equals(configuration[name]?.Trim(), "Development", StringComparison.OrdinalIgnoreCase))
            {
                return new($"{name}=Development");
            }
        }
        if (configuration["ENV"] is { } env && SeedLocalEnvValues.Contains(env.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            return new($"ENV={env}");
        }
        if (string.Equals(configuration["AzureWebJobsStorage"]?.Trim(), "UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
        {
            return new("AzureWebJobsStorage=UseDevelopmentStorage=true (Azurite)");
        }
        return None;
    }
}
