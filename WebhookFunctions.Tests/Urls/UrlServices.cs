using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WebhookFunctions.Domain;
using WebhookFunctions.Domain.Urls;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Urls;

/// <summary>The library composed by AddWebhookManagement from in-memory settings only (never this machine's environment).</summary>
internal static class UrlServices
{
    /// <summary>Settings as configuration; a later value for the same key wins.</summary>
    public static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(LastWins(settings)).Build();

    private static Dictionary<string, string?> LastWins(IEnumerable<(string Key, string? Value)> settings)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }
        return values;
    }

    /// <summary>The default Ngrok:Path of tests: no file, so a real ngrok on this machine's PATH is never started.</summary>
    public const string NoExecutable = "/nonexistent/ngrok-for-tests";

    /// <summary>A service provider as a host builds it, with the given clock and captured logs.</summary>
    public static ServiceProvider Build(
        IEnumerable<(string Key, string? Value)> settings, TimeProvider? time = null, CapturingLoggerProvider? logs = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = Configuration([("Ngrok:Path", NoExecutable), .. settings]);
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(l => l.AddProvider(logs ?? new CapturingLoggerProvider()).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddWebhookManagement(configuration);
        // A cold first request on a loaded machine can exceed the 5 s production limit; no test is about that limit.
        services.AddHttpClient(NgrokTunnelLocator.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(60));
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>A real generic host (no default sources, so no environment variables leak in) ready for StartAsync.</summary>
    public static IHost Host(params (string Key, string? Value)[] settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = "Test",
            ContentRootPath = Path.GetTempPath(),
        });
        // Valid settings for the other areas' start-up checks, so only the URL settings under test can fail.
        (string Key, string? Value)[] otherAreas =
        [
            ("Auth:ApiKeys:0", "url-tests-management-key-0123456789"),
            ("UpdateQueue:ConnectionString", "UseDevelopmentStorage=true"),
        ];
        builder.Configuration.AddInMemoryCollection(LastWins([.. otherAreas, .. settings]));
        builder.Services.AddWebhookManagement(builder.Configuration);
        return builder.Build();
    }
}
