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
    private readonly Dictionary<string, int> _outcomes = [];
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
            var lines = result.Outcome == CheckOutcomes.Healthy ? _healthy : _notHealthy;
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
            Status = LeaseLost ? SweepStatuses.LeaseLost : BudgetExhausted ? SweepStatuses.BudgetExhausted : SweepStatuses.Completed,
            StartedAt = startedAt,
            Detail = LeaseLost ? "The checker lease was lost (another sweep took it, or it could not be renewed in time); no further bots were started and the ones left wait for the next sweep."
            : BudgetExhausted ? "The time budget (Checker:TimeBudget) ran out; the bots left wait for the next sweep." : null,
            Checked = _checked,
            Healthy = Count(CheckOutcomes.Healthy),
            Refreshed = Count(CheckOutcomes.Refreshed),
            Skipped = Count(CheckOutcomes.Skipped),
            Failed = Count(CheckOutcomes.Failed),
            TokenRejected = Count(CheckOutcomes.TokenRejected),
            Deferred = Count(CheckOutcomes.Deferred),
            Contested = Count(CheckOutcomes.Contested),
            Disabled = Count(CheckOutcomes.Disabled),
            Superseded = _superseded,
            LeftForNextSweep = leftForNextSweep,
            Bots = lines,
            BotsOmitted = _checked - lines.Count,
            DuplicateTelegramBots = Duplicates,
        };
    }

    private int Count(string outcome) => _outcomes.GetValueOrDefault(outcome);
}
