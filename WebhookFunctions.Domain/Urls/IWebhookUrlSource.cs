namespace WebhookFunctions.Domain.Urls;

/// <summary>Where the public origin comes from. One is registered at start-up, chosen by the mode.</summary>
internal interface IWebhookUrlSource
{
    /// <summary>The public origin, e.g. https://abc.ngrok-free.app. Throws <see cref="Errors.WebhookUrlUnavailableException"/>.</summary>
    Task<string> GetBaseUrlAsync(CancellationToken cancellationToken);

    /// <summary>The origin if it is known without side effects (no tunnel is created, ngrok is not started), else null.</summary>
    Task<string?> FindBaseUrlAsync(CancellationToken cancellationToken);
}
