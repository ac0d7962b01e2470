namespace WebhookFunctions.Domain.Checking;

/// <summary>What one sweep did: whether it ran, the counts, and each checked bot's outcome.</summary>
public sealed record SweepReport
{
    public required string Trigger { get; init; }

    /// <summary>One of <see cref="SweepStatuses"/>.</summary>
    public required string Status { get; init; }
    public DateTime StartedAt { get; init; }
    public TimeSpan Duration { get; init; }

    /// <summary>Why the sweep did not run or stopped early; null when it completed.</summary>
    public string? Detail { get; init; }

    public int Checked { get; init; }
    public int Healthy { get; init; }
    public int Refreshed { get; init; }
    public int Skipped { get; init; }
    public int Failed { get; init; }
    public int TokenRejected { get; init; }
    public int Deferred { get; init; }

    /// <summary>Bots another holder of the token keeps moving: the checker backs off from them (docs/checker.md).</summary>
    public int Contested { get; init; }

    /// <summary>Bots an API set or delete changed during the check: that change stands, the check's record was dropped.</summary>
    public int Superseded { get; init; }

    /// <summary>Due bots not started because the time budget ran out; the next sweep takes them.</summary>
    public int LeftForNextSweep { get; init; }

    public IReadOnlyList<BotCheckReport> Bots { get; init; } = [];

    public bool Ran => Status is SweepStatuses.Completed or SweepStatuses.BudgetExhausted;
}

/// <summary>One bot's line in a <see cref="SweepReport"/>. Never carries the token.</summary>
public sealed record BotCheckReport(Guid BotId, string Outcome, string? Reason, string? Error, bool Recorded);

/// <summary>Stable snake_case statuses of a sweep.</summary>
public static class SweepStatuses
{
    public const string Completed = "completed";

    /// <summary>Stopped starting bots when the time budget ran out; <see cref="SweepReport.LeftForNextSweep"/> says how many wait.</summary>
    public const string BudgetExhausted = "budget_exhausted";

    /// <summary>Another sweep holds the lease; nothing was checked (the API answers 409).</summary>
    public const string AlreadyRunning = "already_running";

    /// <summary>The public webhook URL could not be resolved (e.g. no ngrok tunnel); nothing was checked.</summary>
    public const string UrlUnavailable = "url_unavailable";

    /// <summary>The sweep threw (e.g. the database failed). No report is returned; only the metrics and the span say so.</summary>
    public const string Failed = "failed";
}
