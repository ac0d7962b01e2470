namespace WebhookFunctions.Domain.Checking;

/// <summary>Stable snake_case states of an active bot, the <c>state</c> tag of the <c>webhook_checker.bots</c> gauge.</summary>
public static class BotStates
{
    /// <summary>The last check found the webhook right, or set it right.</summary>
    public const string Healthy = "healthy";

    /// <summary>The last check failed (Telegram unavailable, a bad request, a timeout...).</summary>
    public const string Failing = "failing";

    /// <summary>Telegram rejects the token; nothing is tried until it is replaced.</summary>
    public const string TokenRejected = "token_rejected";

    /// <summary>Someone else keeps moving the webhook away.</summary>
    public const string Contested = "contested";

    /// <summary>Rate-limited at the last check; tried again next sweep.</summary>
    public const string Deferred = "deferred";

    /// <summary>The last check left the webhook alone on purpose.</summary>
    public const string Skipped = "skipped";

    /// <summary>The operator deleted the webhook.</summary>
    public const string Disabled = "disabled";

    /// <summary>Not checked yet.</summary>
    public const string Unchecked = "unchecked";

    public static readonly IReadOnlyList<string> All = [Healthy, Failing, TokenRejected, Contested, Deferred, Skipped, Disabled, Unchecked];

    /// <summary>A bot's state from its row: a rejected token first, then the last check's outcome.</summary>
    public static string Of(bool tokenRejected, string? lastCheckOutcome) => tokenRejected ? TokenRejected : lastCheckOutcome switch
    {
        null => Unchecked,
        CheckOutcomes.Healthy or CheckOutcomes.Refreshed => Healthy,
        CheckOutcomes.Failed => Failing,
        CheckOutcomes.TokenRejected => TokenRejected,
        _ => lastCheckOutcome,
    };
}
