using System.Text.Json;
using WebhookFunctions.Domain.History;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Checking;

/// <summary>What the checker's work adds to the history, in History's terms (History knows nothing of checks).</summary>
internal static class CheckHistory
{
    /// <summary>What a batch of recorded checks changed (webhooks the checker set, state changes), and the delivery errors they saw.</summary>
    public static (List<WebhookHistoryEntry> Changes, List<WebhookHistoryEntry> DeliveryErrors) Of(IEnumerable<(BotCheckResult Result, bool Recorded)> checks)
    {
        var changes = new List<WebhookHistoryEntry>();
        var errors = new List<WebhookHistoryEntry>();
        foreach (var (result, recorded) in checks)
        {
            if (!recorded)
            {
                continue;
            }
            var botId = result.Read.BotId;
            if (result.Applied is { } applied)
            {
                changes.Add(HistoryEvents.WebhookSet(botId, HistoryActor.Checker, applied.Url, result.Reason));
            }
            var (before, after) = (BotStates.For(result.Read), BotStates.For(AfterCheck(result)));
            if (before != after)
            {
                changes.Add(HistoryEvents.StateChanged(botId, HistoryActor.Checker, before, after, result.Reason, result.Error));
            }
            if (result.Seen?.LastErrorDate is { } errorAt && WebhookHistory.IsUnseen(errorAt, result.Read.LastSweptAt))
            {
                errors.Add(HistoryEvents.DeliveryError(botId, errorAt, result.Seen.LastErrorMessage));
            }
        }
        return (changes, errors);
    }

    /// <summary>A finished sweep as the sweep log keeps it.</summary>
    public static SweepRun RunOf(SweepReport report) => new()
    {
        StartedAt = report.StartedAt,
        DurationMs = (long)report.Duration.TotalMilliseconds,
        Trigger = report.Trigger,
        Status = report.Status,
        Checked = report.Checked,
        LeftForNextSweep = report.LeftForNextSweep,
        Counts = CountsOf(report),
        Detail = report.Detail,
    };

    /// <summary>The report's counts by outcome (and superseded) as sweep_run.counts stores them.</summary>
    public static string CountsOf(SweepReport report)
    {
        var counts = new Dictionary<string, int>
        {
            [SnakeCase.Of(CheckOutcome.Healthy)] = report.Healthy,
            [SnakeCase.Of(CheckOutcome.Refreshed)] = report.Refreshed,
            [SnakeCase.Of(CheckOutcome.Skipped)] = report.Skipped,
            [SnakeCase.Of(CheckOutcome.Failed)] = report.Failed,
            [SnakeCase.Of(CheckOutcome.TokenRejected)] = report.TokenRejected,
            [SnakeCase.Of(CheckOutcome.Deferred)] = report.Deferred,
            [SnakeCase.Of(CheckOutcome.Contested)] = report.Contested,
            ["superseded"] = report.Superseded,
        };
        return JsonSerializer.Serialize(counts);
    }

    /// <summary>The row as the check leaves it, for its state.</summary>
    private static BotPlatformCredential AfterCheck(BotCheckResult result) => new()
    {
        TokenRejected = result.Outcome == CheckOutcome.TokenRejected || result.Read.TokenRejected,
        WebhookEnabled = result.Applied is not null || result.Read.WebhookEnabled,
        LastCheckOutcome = result.Outcome,
    };
}
