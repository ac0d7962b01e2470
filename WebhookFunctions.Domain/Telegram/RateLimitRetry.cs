namespace WebhookFunctions.Domain.Telegram;

/// <summary>
/// The one retry policy for Bot API calls. Only a 429 is retried, and only when its retry_after fits: at most
/// <see cref="MaxRetries"/> retries whose waits add up to at most <see cref="MaxTotalWait"/>, each waited on the
/// injected clock. Every other failure (401, 400, 5xx, a timeout) and a 429 that does not fit go to the caller at once.
/// The three methods this service calls (getWebhookInfo, setWebhook, deleteWebhook) are idempotent at Telegram, so
/// calling one again is safe. Telegram.Bot's own retry stays off: it sleeps on the real clock.
/// </summary>
internal sealed record RateLimitRetry(TimeSpan MaxTotalWait, int MaxRetries = 1)
{
    /// <summary>Never waits: the caller gets the 429 with its retry_after (the management API answers 429 with Retry-After).</summary>
    public static readonly RateLimitRetry None = new(TimeSpan.Zero, 0);

    public async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, TimeProvider time, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        for (var retries = 0; ; retries++)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (TelegramApiException e) when (e.Failure == TelegramFailure.RateLimited && e.RetryAfter is { } wait
                && retries < MaxRetries && waited + wait <= MaxTotalWait)
            {
                waited += wait;
                await Task.Delay(wait, time, cancellationToken);
            }
        }
    }
}
