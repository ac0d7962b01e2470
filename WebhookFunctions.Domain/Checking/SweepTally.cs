using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Checking;

/// <summary>
/// The counts and per-bot lines of a running sweep; added to by the recording task only. Keeps at most
/// <paramref name="maxLines"/> lines of each kind (not healthy, healthy), so its size does not grow with the fleet.
/// </summary>
internal sealed class SweepTally(int maxLines)
{
    private readonly List<BotCheckReport> _notHealthy = [];
    private readonly List<BotCheckReport> _healthy = [];
    private readonly Dictionary<CheckOutcome, int> _outcomes = [];
    private int _checked;
    private int _superseded;

    /// <summary>Set by the reader when it stops handing out bots because the time budget is spent.</summary>
    public volatile bool BudgetExhausted;

    /// <summary>Set by the reader when it stops handing out bots because the lease is no longer held.</summary>
    public volatile bool LeaseLost;

    public IReadOnlyList<Credentials.DuplicateTelegramBot> Duplicates { get; init; } = [];

    public void Add(IEnumerable<(BotCheckResult Result, bool Recorded)> recorded)
    {
        foreach (var (result, wasRecorded) in recorded)
        {
            _checked++;
            var lines = result.Outcome == CheckOutcome.Healthy ? _healthy : _notHealthy;
            if (lines.Count < maxLines)
            {
                lines.Add(result.ToReport(wasRecorded));
            }
            _outcomes[result.Outcome] = Count(result.Outcome) + 1;
            _superseded += wasRecorded ? 0 : 1;
        }
    }

    public SweepReport ToReport(string trigger, DateTime startedAt, int leftForNextSweep)
    {
        List<BotCheckReport> lines = [.. _notHealthy, .. _healthy.Take(maxLines - _notHealthy.Count)];
        return new()
        {
            Trigger = trigger,
            Status = LeaseLost ? SweepStatus.LeaseLost : BudgetExhausted ? SweepStatus.BudgetExhausted : SweepStatus.Completed,
            StartedAt = startedAt,
            Detail = LeaseLost ? "The checker lease was lost (another sweep took it, or it could not be renewed in time); no further bots were started and the ones left wait for the next sweep."
            : BudgetExhausted ? "The time budget (Checker:TimeBudget) ran out; the bots left wait for the next sweep." : null,
            Checked = _checked,
            Healthy = Count(CheckOutcome.Healthy),
            Refreshed = Count(CheckOutcome.Refreshed),
            Skipped = Count(CheckOutcome.Skipped),
            Failed = Count(CheckOutcome.Failed),
            TokenRejected = Count(CheckOutcome.TokenRejected),
            Deferred = Count(CheckOutcome.Deferred),
            Contested = Count(CheckOutcome.Contested),
            Disabled = Count(CheckOutcome.Disabled),
            Superseded = _superseded,
            LeftForNextSweep = leftForNextSweep,
            Bots = lines,
            BotsOmitted = _checked - lines.Count,
            DuplicateTelegramBots = Duplicates,
        };
    }

    private int Count(CheckOutcome outcome) => _outcomes.GetValueOrDefault(outcome);
}
