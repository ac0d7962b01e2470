namespace WebhookFunctions.Domain.Telegram;

/// <summary>Why a call to Telegram (or a check) failed: the metrics tag failure_class, and the reason of a failed check.</summary>
internal enum FailureClass
{
    /// <summary>The credential has no well-formed token, so Telegram was not called.</summary>
    InvalidCredential,
    Unexpected,
    TokenRejected,
    RateLimited,
    BadRequest,
    Unavailable,
    Timeout,
    Network,
}

/// <summary>The failure class of a <see cref="TelegramFailure"/>.</summary>
internal static class FailureClasses
{
    public static FailureClass Of(TelegramFailure failure) => failure switch
    {
        TelegramFailure.TokenRejected => FailureClass.TokenRejected,
        TelegramFailure.RateLimited => FailureClass.RateLimited,
        TelegramFailure.BadRequest => FailureClass.BadRequest,
        TelegramFailure.Unavailable => FailureClass.Unavailable,
        TelegramFailure.Timeout => FailureClass.Timeout,
        TelegramFailure.Network => FailureClass.Network,
        _ => FailureClass.Unexpected,
    };
}
