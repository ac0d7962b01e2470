using Azure.Core;
using Azure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Credentials;
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
        services.AddScoped<WebhookService>();
        services.AddScoped<CredentialService>();
        services.AddManagementApi();
        services.AddUpdateReceiver();
        return services;
    }

    private static void AddManagementApi(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<ManagementKeys>();
        // Resolved at start so a generated Development key is logged once, before the first request.
        services.AddHostedService<ManagementKeysAnnouncer>();
        services.AddScoped<ApiPipeline>();
        services.AddScoped<WebhookApi>();
        services.AddScoped<CredentialsApi>();
        services.AddScoped<HealthApi>();
    }

    private static void AddWebhookPersistence(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<IDbContextFactory<WebhookDbContext>, WebhookDbContextFactory>();
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<WebhookDbContext>>().CreateDbContext());
        services.AddHostedService<DatabaseMigrationService>();
    }

    private static void AddTelegramGateway(this IServiceCollection services)
    {
        services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section).ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp),
                "Telegram:ApiBaseUrl must be an absolute http(s) URL, e.g. https://api.telegram.org.")
            .ValidateOnStart();
        services.AddHttpClient(TelegramGateway.HttpClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<TelegramOptions>>().Value.Timeout)
            .RemoveAllLoggers();
        services.AddSingleton<ITelegramGateway, TelegramGateway>();
    }

    private static void AddWebhookUrls(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(WebhookEnvironment.Detect(configuration));
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .Configure<IConfiguration>((o, config) =>
            {
                // The seed's name, then the App Service host name.
                o.Domain ??= config["WEBHOOK_DOMAIN"]
                    ?? (config["WEBSITE_HOSTNAME"] is { Length: > 0 } host ? $"https://{host}" : null);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();

        services.AddOptions<NgrokOptions>().BindConfiguration(NgrokOptions.Section)
            .Configure<IConfiguration>((o, config) =>
            {
                if (config["Ngrok:Port"] is null && config["NGROK_PORT"] is { } port)
                {
                    o.Port = int.TryParse(port, out var p) ? p : -1;
                }
                o.AuthToken ??= config["NGROK_AUTHTOKEN"];
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(NgrokTunnelLocator.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(5)).RemoveAllLoggers();
        services.AddSingleton<NgrokTunnelLocator>();
        services.AddSingleton<WebhookUrlResolver>();
    }
}
