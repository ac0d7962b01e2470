using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Domain.Urls;

/// <summary>Registers the URL source of the mode decided here, once: ngrok in Tunnel mode, the fixed domain in Domain mode.</summary>
internal static class WebhookUrlsServiceCollectionExtensions
{
    public static IServiceCollection AddWebhookUrls(this IServiceCollection services, IConfiguration configuration)
    {
        // A bad Webhook:Mode is not thrown here: the validator reports it at start with every other bad setting, and
        // until then the app is composed as in Domain mode, which never runs.
        var environment = WebhookEnvironment.Decide(configuration, out var invalidMode)
            ?? new WebhookEnvironment(WebhookMode.Domain, "Webhook:Mode is invalid");
        services.AddSingleton(environment);
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
        services.AddSingleton<IValidateOptions<WebhookOptions>>(sp =>
            new WebhookOptionsValidator(environment, invalidMode, sp.GetRequiredService<IOptions<TelegramOptions>>()));
        if (environment.Mode == WebhookMode.Tunnel)
        {
            services.AddNgrokTunnel();
        }
        else
        {
            services.AddSingleton<IWebhookUrlSource, DomainUrlSource>();
        }
        services.AddSingleton(sp => new WebhookUrlResolver(environment, sp.GetRequiredService<IWebhookUrlSource>()));
        services.AddSingleton<WebhookTakeoverGuard>();
        return services;
    }

    /// <summary>Tunnel mode only: the ngrok settings, the agent API client, and the locator that starts (and stops) ngrok.</summary>
    private static void AddNgrokTunnel(this IServiceCollection services)
    {
        services.AddOptions<NgrokOptions>().BindConfiguration(NgrokOptions.Section)
            .Configure<IConfiguration>((o, config) =>
            {
                if (config["Ngrok:Port"] is null && NonEmpty(config["NGROK_PORT"]) is { } port)
                {
                    // Out of range on purpose when unreadable, so validation names the setting.
                    o.Port = int.TryParse(port, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : -1;
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
        // One instance behind both names; disposing it (twice, harmlessly) stops an ngrok it started.
        services.AddSingleton<NgrokTunnelLocator>();
        services.AddSingleton<IWebhookUrlSource>(sp => sp.GetRequiredService<NgrokTunnelLocator>());
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
