using System.Reflection;
using Azure.Core;
using Azure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Credentials;
using WebhookFunctions.Domain.Dashboard;
using WebhookFunctions.Domain.History;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Receiving;
using WebhookFunctions.Domain.Sharding;
using WebhookFunctions.Domain.Startup;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Domain.Urls;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.Domain;

/// <summary>The one composition method both hosts call.</summary>
public static class WebhookManagementServiceCollectionExtensions
{
    public static IServiceCollection AddWebhookManagement(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        // Decided once from the settings: the webhook URL's mode and the management key rule both follow it.
        services.AddSingleton(DevelopmentEnvironment.Detect(configuration));

        services.AddWebhookPersistence();
        services.AddTelegramGateway();
        services.AddWebhookUrls(configuration);
        services.AddSingleton<WebhookSettler>();
        services.AddScoped<WebhookService>();
        services.AddScoped<CredentialService>();
        services.AddManagementApi();
        services.AddUpdateReceiver();
        services.AddWebhookChecker();
        services.AddWebhookHistory();
        services.AddSweepSharding();
        services.AddScopedEntryPoint<SweepTriggers>();
        return services;
    }

    private static void AddManagementApi(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<ManagementKeys>();
        // Resolved at start so a generated Development key is logged once, before the first request.
        services.AddHostedService<ManagementKeysWarmup>();
        services.AddScoped<ApiPipeline>();
        services.AddScopedEntryPoint<WebhookApi>();
        services.AddScopedEntryPoint<CredentialsApi>();
        services.AddScopedEntryPoint<HealthApi>();
        services.AddScopedEntryPoint<CheckerApi>();
        services.AddScopedEntryPoint<ReceiverApi>();
        services.AddScoped<FleetSummaryQuery>();
        services.AddScopedEntryPoint<HistoryApi>();
        services.AddScopedEntryPoint<DashboardApi>();
    }

    /// <summary>
    /// Registers one of the types the hosts call (CheckerApi, SweepTriggers, ...). Their constructors are internal, as their
    /// collaborators are, and the container calls public constructors only: this calls the one they have.
    /// </summary>
    internal static IServiceCollection AddScopedEntryPoint<T>(this IServiceCollection services) where T : class =>
        services.AddScoped(sp =>
        {
            var constructor = typeof(T).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic).Single();
            return (T)constructor.Invoke([.. constructor.GetParameters().Select(p => sp.GetRequiredService(p.ParameterType))]);
        });

    private static void AddWebhookPersistence(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<IDbContextFactory<WebhookDbContext>, WebhookDbContextFactory>();
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<WebhookDbContext>>().CreateDbContext());
        services.AddSingleton<SqliteFileHold>();
        services.AddHostedService<DatabaseMigrationService>();
        // After the migration: hosted services start in the order they were added.
        services.AddSingleton<TelegramBotAudit>();
        services.AddHostedService<TelegramBotAuditOnStart>();
    }

    private static void AddTelegramGateway(this IServiceCollection services)
    {
        services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section).ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp),
                "Telegram:ApiBaseUrl must be an absolute http(s) URL, e.g. https://api.telegram.org.")
            .ValidateOnStart();
        services.AddHttpClient(TelegramGateway.HttpClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<TelegramOptions>>().Value.Timeout)
            .RemoveAllLoggers();
        services.AddMetrics();
        services.AddSingleton<TelegramMetrics>();
        services.AddSingleton<ITelegramGateway, TelegramGateway>();
    }
}
