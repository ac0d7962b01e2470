using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Errors;

namespace WebhookFunctions.Domain.Urls;

/// <summary>Domain mode: the app's own origin from Webhook:Domain (or WEBHOOK_DOMAIN, or WEBSITE_HOSTNAME), validated at start.</summary>
internal sealed class DomainUrlSource(IOptions<WebhookOptions> options) : IWebhookUrlSource
{
    public Task<string> GetBaseUrlAsync(CancellationToken cancellationToken) =>
        options.Value.Domain is { } domain && !string.IsNullOrWhiteSpace(domain)
            ? Task.FromResult(domain.Trim().TrimEnd('/'))
            : Task.FromException<string>(new WebhookUrlUnavailableException("Webhook:Domain (or WEBHOOK_DOMAIN, or WEBSITE_HOSTNAME) is not set."));

    public Task<string?> FindBaseUrlAsync(CancellationToken cancellationToken) => Task.FromResult(options.Value.Domain);
}
