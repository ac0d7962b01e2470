namespace WebhookFunctions.Domain.Telegram;

/// <summary>What went wrong in a call to the Bot API, kept apart because each needs a different response.</summary>
internal enum TelegramFailure
{
    /// <summary>401 or 404: the token is revoked or wrong.</summary>
    TokenRejected,

    /// <summary>429: wait <see cref="TelegramApiException.RetryAfter"/>.</summary>
    RateLimited,

    /// <summary>400: Telegram refused the request; its description says why.</summary>
    BadRequest,

    /// <summary>5xx or an unreadable answer.</summary>
    Unavailable,

    /// <summary>No answer within the timeout.</summary>
    Timeout,

    /// <summary>The connection failed.</summary>
    Network,
}

/// <summary>A Bot API call failed. The message holds Telegram's description, never the token.</summary>
internal sealed class TelegramApiException(TelegramFailure failure, string method, string message, int? errorCode = null, TimeSpan? retryAfter = null)
    : Errors.WebhookException(message)
{
    public TelegramFailure Failure { get; } = failure;
    public string Method { get; } = method;
    public int? ErrorCode { get; } = errorCode;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
