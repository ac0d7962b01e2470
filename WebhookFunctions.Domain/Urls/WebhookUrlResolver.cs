namespace WebhookFunctions.Domain.Urls;

/// <summary>The public URL Telegram should post a bot's updates to, from the source the mode chose at start-up.</summary>
internal class WebhookUrlResolver
{
    private readonly IWebhookUrlSource _source;

    internal WebhookUrlResolver(WebhookEnvironment environment, IWebhookUrlSource source)
    {
        Mode = environment.Mode;
        _source = source;
    }

    public WebhookMode Mode { get; }

    /// <summary>The public origin, e.g. https://abc.ngrok-free.app. Throws <see cref="Errors.WebhookUrlUnavailableException"/>.</summary>
    public virtual Task<string> GetBaseUrlAsync(CancellationToken cancellationToken) => _source.GetBaseUrlAsync(cancellationToken);

    /// <summary>The URL for the bot if it can be known without side effects (no tunnel is created, ngrok is not started).</summary>
    public async Task<string?> FindCurrentAsync(Guid botId, CancellationToken cancellationToken)
    {
        var baseUrl = await _source.FindBaseUrlAsync(cancellationToken);
        return string.IsNullOrEmpty(baseUrl) ? null : Combine(baseUrl, botId);
    }

    public async Task<string> ResolveAsync(Guid botId, CancellationToken cancellationToken) =>
        Combine(await GetBaseUrlAsync(cancellationToken), botId);

    public static string Combine(string baseUrl, Guid botId) => baseUrl.TrimEnd('/') + WebhookOptions.ReceivePath(botId);
}
