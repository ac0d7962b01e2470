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
        services.AddScoped<WebhookApi>();
        services.AddScoped<CredentialsApi>();
        services.AddScoped<HealthApi>();
        services.AddScoped<CheckerApi>();
        services.AddScoped<ReceiverApi>();
        services.AddScoped<FleetSummaryQuery>();
        services.AddScoped<HistoryApi>();
        services.AddScoped<DashboardApi>();
    }

    private static void AddWebhookPersistence(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<IDbContextFactory<WebhookDbContext>, WebhookDbContextFactory>();
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<WebhookDbContext>>().CreateDbContext());
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

    private static void AddWebhookUrls(this IServiceCollection services, IConfiguration configuration)
    {
        // Detected when first needed (by the options validated at start), so a bad Webhook:Mode is reported with the rest.
        services.AddSingleton(_ => WebhookEnvironment.Detect(configuration));
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .Configure<IConfiguration>((o, config) =>
            {
                // The seed's name, then the App Service host name; an empty value counts as unset.
                if (string.IsNullOrWhiteSpace(o.Domain))
                {
                    o.Domain = NonEmpty(config["WEBHOOK_DOMAIN"])
                        ?? (NonEmpty(config["WEBSITE_HOSTNAME"]) is { } host ? $"https://{host}" : null);
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();

        services.AddOptions<NgrokOptions>().BindConfiguration(NgrokOptions.Section)
            .Configure<IConfiguration>((o, config) =>
            {
                if (config["Ngrok:Port"] is null && NonEmpty(config["NGROK_PORT"]) is { } port)
                {
                    // Out of range on purpose when unreadable, so validation names the setting.
                    o.Port = int.TryParse(port, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : -1;
                }
                if (string.IsNullOrEmpty(o.AuthToken))
                {
                    o.AuthToken = NonEmpty(config["NGROK_AUTHTOKEN"]);
                }
            })
            .ValidateDataAnnotations()
            .Validate(o => NgrokOptions.IsHttpUrl(o.ApiUrl), "Ngrok:ApiUrl must be an absolute http(s) URL, e.g. http://127.0.0.1:4040.")
            .ValidateOnStart();
        services.AddHttpClient(NgrokTunnelLocator.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(5)).RemoveAllLoggers();
        services.AddSingleton<NgrokTunnelLocator>();
        services.AddSingleton<WebhookUrlResolver>();
        services.AddSingleton<WebhookTakeoverGuard>();
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
