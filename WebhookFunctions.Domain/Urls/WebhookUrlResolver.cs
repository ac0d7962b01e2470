using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Errors;

namespace WebhookFunctions.Domain.Urls;

/// <summary>The public URL Telegram should post a bot's updates to: the ngrok tunnel or the app's domain.</summary>
public class WebhookUrlResolver(WebhookEnvironment environment, IOptions<WebhookOptions> options, NgrokTunnelLocator tunnels)
{
    public WebhookMode Mode => environment.Mode;

    /// <summary>The public origin, e.g. https://abc.ngrok-free.app. Throws <see cref="WebhookUrlUnavailableException"/>.</summary>
    public virtual async Task<string> GetBaseUrlAsync(CancellationToken cancellationToken) =>
        environment.Mode == WebhookMode.Tunnel
            ? await tunnels.GetPublicUrlAsync(cancellationToken)
            : options.Value.Domain is { } domain && !string.IsNullOrWhiteSpace(domain)
                ? domain.Trim().TrimEnd('/')
                : throw new WebhookUrlUnavailableException("Webhook:Domain (or WEBHOOK_DOMAIN, or WEBSITE_HOSTNAME) is not set.");

    /// <summary>The URL for the bot if it can be known without side effects (no tunnel is created, ngrok is not started).</summary>
    public async Task<string?> FindCurrentAsync(Guid botId, CancellationToken cancellationToken)
    {
        var baseUrl = environment.Mode == WebhookMode.Tunnel ? await tunnels.FindExistingAsync(cancellationToken) : options.Value.Domain;
        return string.IsNullOrEmpty(baseUrl) ? null : Combine(baseUrl, botId);
    }

    public async Task<string> ResolveAsync(Guid botId, CancellationToken cancellationToken) =>
        Combine(await GetBaseUrlAsync(cancellationToken), botId);

    public static string Combine(string baseUrl, Guid botId) => baseUrl.TrimEnd('/') + WebhookOptions.ReceivePath(botId);
}
