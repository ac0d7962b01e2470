using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.History;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Sharding;

/// <summary>
/// A sharded run's row in sweep_run: written "running" when the run is dispatched, and completed exactly once, by
/// whichever instance finishes the last shard: one conditional update wins, then the shards' counts are summed into
/// the row (so the dashboard's "last sweep" and the sweep log aggregate every shard) and the checker lease is freed.
/// </summary>
internal sealed partial class ShardedRunLog(
    IDbContextFactory<WebhookDbContext> databases,
    CheckerLease lease,
    CheckerMetrics metrics,
    TimeProvider time,
    ILogger<ShardedRunLog> logger)
{
    /// <summary>The lease holder of a sharded run: every instance checking one of its shards renews it, the last one frees it.</summary>
    public static string Holder(Guid runId) => $"sharded-run/{runId:N}";

    /// <summary>Completes the run if all its shards are finished and nobody completed it yet; the report when this call did.</summary>
    public async Task<SweepReport?> TryCompleteAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var won = await db.Set<SweepRun>()
            .Where(r => r.RunId == runId && r.Status == ShardedRunStatuses.Running
                && !db.Set<SweepShard>().Any(s => s.RunId == runId && (s.Status == ShardStatuses.Pending || s.Status == ShardStatuses.Running)))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, ShardedRunStatuses.Completing), cancellationToken);
        if (won == 0)
        {
            return null;
        }
        var run = await db.Set<SweepRun>().SingleAsync(r => r.RunId == runId, cancellationToken);
        var shards = await db.Set<SweepShard>().AsNoTracking().Where(s => s.RunId == runId).ToListAsync(cancellationToken);
        var report = Aggregate(run, shards, time.GetUtcNow().UtcDateTime);
        run.Status = report.Status;
        run.Checked = report.Checked;
        run.LeftForNextSweep = report.LeftForNextSweep;
        run.Counts = WebhookHistory.CountsOf(report);
        run.DurationMs = (long)report.Duration.TotalMilliseconds;
        run.Detail = report.Detail;
        run.ShardsPoisoned = shards.Count(s => s.Status == ShardStatuses.Poisoned);
        await db.SaveChangesAsync(CancellationToken.None);
        await lease.ReleaseAsync(Holder(runId), CancellationToken.None);
        metrics.Swept(report);
        LogCompleted(logger, runId, report.Status, shards.Count, run.ShardsPoisoned, report.Checked, report.Healthy, report.Refreshed, report.Failed,
            report.LeftForNextSweep, run.DurationMs);
        return report;
    }

    /// <summary>The run's report from its shards: counts summed; bots of shards that were never checked wait for the next sweep.</summary>
    internal static SweepReport Aggregate(SweepRun run, IReadOnlyCollection<SweepShard> shards, DateTime now)
    {
        var counts = new Dictionary<string, int>();
        foreach (var shard in shards)
        {
            foreach (var (outcome, count) in JsonSerializer.Deserialize<Dictionary<string, int>>(shard.Counts) ?? [])
            {
                counts[outcome] = counts.GetValueOrDefault(outcome) + count;
            }
        }
        var poisoned = shards.Where(s => s.Status == ShardStatuses.Poisoned).ToList();
        var abandoned = shards.Where(s => s.Status == ShardStatuses.Abandoned).ToList();
        var leaseLost = abandoned.Count > 0 || shards.Any(s => s.LastError == ShardStopReasons.LeaseLost);
        var left = shards.Sum(s => s.LeftForNextSweep) + poisoned.Sum(s => s.Bots) + abandoned.Sum(s => s.Bots);
        var status = poisoned.Count > 0 ? ShardedRunStatuses.ShardsPoisoned
            : leaseLost ? SweepStatuses.LeaseLost
            : left > 0 ? SweepStatuses.BudgetExhausted
            : SweepStatuses.Completed;
        var detail = $"{shards.Count} shards: {shards.Count(s => s.Status == ShardStatuses.Done)} checked"
            + (poisoned.Count > 0 ? $", {poisoned.Count} poisoned (failed Sharding:MaxDeliveries times; their {poisoned.Sum(s => s.Bots)} bots wait for the next sweep)" : "")
            + (abandoned.Count > 0 ? $", {abandoned.Count} abandoned (the run lost the checker lease)" : "")
            + (left > 0 && status == SweepStatuses.BudgetExhausted ? "; the time budget (Checker:TimeBudget) ran out, the bots left wait for the next sweep" : "")
            + ".";
        return new SweepReport
        {
            Trigger = run.Trigger,
            Status = status,
            StartedAt = run.StartedAt,
            Duration = now - run.StartedAt,
            Detail = detail,
            Checked = shards.Sum(s => s.Checked),
            Healthy = counts.GetValueOrDefault(CheckOutcomes.Healthy),
            Refreshed = counts.GetValueOrDefault(CheckOutcomes.Refreshed),
            Skipped = counts.GetValueOrDefault(CheckOutcomes.Skipped),
            Failed = counts.GetValueOrDefault(CheckOutcomes.Failed),
            TokenRejected = counts.GetValueOrDefault(CheckOutcomes.TokenRejected),
            Deferred = counts.GetValueOrDefault(CheckOutcomes.Deferred),
            Contested = counts.GetValueOrDefault(CheckOutcomes.Contested),
            Disabled = counts.GetValueOrDefault(CheckOutcomes.Disabled),
            Superseded = counts.GetValueOrDefault("superseded"),
            LeftForNextSweep = left,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sharded webhook sweep {RunId} {Status}: {Shards} shards ({ShardsPoisoned} poisoned), checked {CheckedCount} in {DurationMs} ms: {Healthy} healthy, {Refreshed} refreshed, {Failed} failed, {LeftForNextSweep} left for the next sweep")]
    private static partial void LogCompleted(ILogger logger, Guid runId, string status, int shards, int shardsPoisoned, int checkedCount, int healthy, int refreshed, int failed, int leftForNextSweep, long durationMs);
}

/// <summary>Statuses of a sharded run beside <see cref="SweepStatuses"/>.</summary>
internal static class ShardedRunStatuses
{
    /// <summary>The run's shards are on the queue; the report of the dispatching call (its row says "running").</summary>
    public const string Dispatched = "dispatched";

    /// <summary>Shards are still being checked.</summary>
    public const string Running = "running";

    /// <summary>The last shard finished and one instance is summing the shards (a moment).</summary>
    public const string Completing = "completing";

    /// <summary>Every shard finished, and at least one failed Sharding:MaxDeliveries times and was not checked.</summary>
    public const string ShardsPoisoned = "shards_poisoned";
}

/// <summary>Why a shard stopped before its range was done, kept in sweep_shard.last_error.</summary>
internal static class ShardStopReasons
{
    public const string LeaseLost = "lease_lost";
    public const string BudgetExhausted = "budget_exhausted";
}
