namespace WebhookFunctions.SelfHost;

/// <summary>
/// The environment `dotnet run` starts in. The launch profile must not set ASPNETCORE_ENVIRONMENT (dotnet run would
/// override the user's), so it sets <see cref="DefaultVariable"/> instead, which applies only when the user chose no
/// environment: not ASPNETCORE_ENVIRONMENT, not DOTNET_ENVIRONMENT, not --environment.
/// </summary>
internal static class LaunchEnvironment
{
    public const string DefaultVariable = "WEBHOOKFUNCTIONS_DEFAULT_ENVIRONMENT";

    /// <summary>The launch profile's default when the user set no environment; null otherwise (the host's own rules apply).</summary>
    public static string? Choose(IConfiguration environmentAndArgs)
    {
        string?[] chosen = [environmentAndArgs["ASPNETCORE_ENVIRONMENT"], environmentAndArgs["DOTNET_ENVIRONMENT"], environmentAndArgs["environment"]];
        return chosen.Any(v => !string.IsNullOrWhiteSpace(v)) || string.IsNullOrWhiteSpace(environmentAndArgs[DefaultVariable])
            ? null
            : environmentAndArgs[DefaultVariable];
    }

    /// <summary>
    /// Sets ASPNETCORE_ENVIRONMENT to the launch profile's default when the user chose no environment, so everything
    /// that reads it (the host, the webhook URL decision table) sees what an explicit setting would give.
    /// </summary>
    public static void ApplyDefault(string[] args)
    {
        if (Choose(new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build()) is { } environment)
        {
            Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT", environment);
        }
    }
}
