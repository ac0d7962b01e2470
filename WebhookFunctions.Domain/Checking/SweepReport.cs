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

    /// <summary>Deleted or deactivated bots whose unsettled call the sweep finished (deleting the webhook if Telegram still held this service's URL).</summary>
    public int Disabled { get; init; }

    /// <summary>Bots an API set or delete changed during the check: that change stands, the check's record was dropped.</summary>
    public int Superseded { get; init; }

    /// <summary>Due bots not started because the time budget ran out; the next sweep takes them.</summary>
    public int LeftForNextSweep { get; init; }

    /// <summary>Checked bots' lines, those not healthy first, at most Checker:ReportMaxBots of them.</summary>
    public IReadOnlyList<BotCheckReport> Bots { get; init; } = [];

    /// <summary>Checked bots without a line in bots (healthy ones first), left out to keep the report bounded; the counts include them.</summary>
    public int BotsOmitted { get; init; }

    /// <summary>Active bots whose Telegram bot another bot id holds (stored before that was refused): not checked, listed to be fixed.</summary>
    public IReadOnlyList<Credentials.DuplicateTelegramBot> DuplicateTelegramBots { get; init; } = [];

    public bool Ran => Status is SweepStatuses.Completed or SweepStatuses.BudgetExhausted or SweepStatuses.LeaseLost;
}

/// <summary>One bot's line in a <see cref="SweepReport"/>. Never carries the token.</summary>
public sealed record BotCheckReport(Guid BotId, string Outcome, string? Reason, string? Error, bool Recorded);

/// <summary>Stable snake_case statuses of a sweep.</summary>
internal static class SweepStatuses
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

    /// <summary>The lease passed to another sweep (or could not be renewed in time): no further bots were started.</summary>
    public const string LeaseLost = "lease_lost";
}
