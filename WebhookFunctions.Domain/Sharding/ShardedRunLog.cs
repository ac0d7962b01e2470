using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Json;
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
            .Where(r => r.RunId == runId && r.Status == SweepStatus.Running
                && !db.Set<SweepShard>().Any(s => s.RunId == runId && (s.Status == ShardStatus.Pending || s.Status == ShardStatus.Running)))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, SweepStatus.Completing), cancellationToken);
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
        run.Counts = CheckHistory.CountsOf(report);
        run.DurationMs = (long)report.Duration.TotalMilliseconds;
        run.Detail = report.Detail;
        run.ShardsPoisoned = shards.Count(s => s.Status == ShardStatus.Poisoned);
        await db.SaveChangesAsync(CancellationToken.None);
        await lease.ReleaseAsync(Holder(runId), CancellationToken.None);
        metrics.Swept(report);
        var status = SnakeCase.Of(report.Status);
        LogCompleted(logger, runId, status, shards.Count, run.ShardsPoisoned, report.Checked, report.Healthy, report.Refreshed, report.Failed,
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
        var poisoned = shards.Where(s => s.Status == ShardStatus.Poisoned).ToList();
        var abandoned = shards.Where(s => s.Status == ShardStatus.Abandoned).ToList();
        var leaseLost = abandoned.Count > 0 || shards.Any(s => s.LastError == ShardStopReasons.LeaseLost);
        var left = shards.Sum(s => s.LeftForNextSweep) + poisoned.Sum(s => s.Bots) + abandoned.Sum(s => s.Bots);
        var status = poisoned.Count > 0 ? SweepStatus.ShardsPoisoned
            : leaseLost ? SweepStatus.LeaseLost
            : left > 0 ? SweepStatus.BudgetExhausted
            : SweepStatus.Completed;
        var detail = $"{shards.Count} shards: {shards.Count(s => s.Status == ShardStatus.Done)} checked"
            + (poisoned.Count > 0 ? $", {poisoned.Count} poisoned (failed Sharding:MaxDeliveries times; their {poisoned.Sum(s => s.Bots)} bots wait for the next sweep)" : "")
            + (abandoned.Count > 0 ? $", {abandoned.Count} abandoned (the run lost the checker lease)" : "")
            + (left > 0 && status == SweepStatus.BudgetExhausted ? "; the time budget (Checker:TimeBudget) ran out, the bots left wait for the next sweep" : "")
            + ".";
        return new SweepReport
        {
            Trigger = run.Trigger,
            Status = status,
            StartedAt = run.StartedAt,
            Duration = now - run.StartedAt,
            Detail = detail,
            Checked = shards.Sum(s => s.Checked),
            Healthy = counts.GetValueOrDefault(SnakeCase.Of(CheckOutcome.Healthy)),
            Refreshed = counts.GetValueOrDefault(SnakeCase.Of(CheckOutcome.Refreshed)),
            Skipped = counts.GetValueOrDefault(SnakeCase.Of(CheckOutcome.Skipped)),
            Failed = counts.GetValueOrDefault(SnakeCase.Of(CheckOutcome.Failed)),
            TokenRejected = counts.GetValueOrDefault(SnakeCase.Of(CheckOutcome.TokenRejected)),
            Deferred = counts.GetValueOrDefault(SnakeCase.Of(CheckOutcome.Deferred)),
            Contested = counts.GetValueOrDefault(SnakeCase.Of(CheckOutcome.Contested)),
            Disabled = counts.GetValueOrDefault(SnakeCase.Of(CheckOutcome.Disabled)),
            Superseded = counts.GetValueOrDefault("superseded"),
            LeftForNextSweep = left,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sharded webhook sweep {RunId} {Status}: {Shards} shards ({ShardsPoisoned} poisoned), checked {CheckedCount} in {DurationMs} ms: {Healthy} healthy, {Refreshed} refreshed, {Failed} failed, {LeftForNextSweep} left for the next sweep")]
    private static partial void LogCompleted(ILogger logger, Guid runId, string status, int shards, int shardsPoisoned, int checkedCount, int healthy, int refreshed, int failed, int leftForNextSweep, long durationMs);
}

/// <summary>Why a shard stopped before its range was done, kept in sweep_shard.last_error.</summary>
internal static class ShardStopReasons
{
    public const string LeaseLost = "lease_lost";
    public const string BudgetExhausted = "budget_exhausted";
}
