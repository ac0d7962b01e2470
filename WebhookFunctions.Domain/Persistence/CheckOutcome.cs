namespace WebhookFunctions.Domain.Persistence;

/// <summary>The outcome of one bot's check: stored in last_check_outcome and reported per bot, as its snake_case name.</summary>
public enum CheckOutcome
{
    Healthy,
    Refreshed,
    Skipped,
    Failed,
    TokenRejected,

    /// <summary>Rate-limited for longer than the checker waits: tried again next sweep, not counted as a failure.</summary>
    Deferred,

    /// <summary>Another holder of the token keeps moving the webhook: the checker backs off (see Checking.ContestPolicy).</summary>
    Contested,

    /// <summary>Set by the delete endpoint: the operator turned the webhook off, so the checker leaves the bot alone.</summary>
    Disabled,
}
