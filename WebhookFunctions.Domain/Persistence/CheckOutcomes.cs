namespace WebhookFunctions.Domain.Persistence;

/// <summary>Stable snake_case outcomes of one bot's check, stored in last_check_outcome and reported per bot.</summary>
internal static class CheckOutcomes
{
    public const string Healthy = "healthy";
    public const string Refreshed = "refreshed";
    public const string Skipped = "skipped";
    public const string Failed = "failed";
    public const string TokenRejected = "token_rejected";

    /// <summary>Rate-limited for longer than the checker waits: tried again next sweep, not counted as a failure.</summary>
    public const string Deferred = "deferred";

    /// <summary>Another holder of the token keeps moving the webhook: the checker backs off (see Checking.ContestPolicy).</summary>
    public const string Contested = "contested";

    /// <summary>Set by the delete endpoint: the operator turned the webhook off, so the checker leaves the bot alone.</summary>
    public const string Disabled = "disabled";
}
