using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Sharding;

/// <summary>What the queue consumer does with a shard message after <see cref="ShardRunner"/> handled it.</summary>
internal enum ShardDisposition
{
    /// <summary>The shard is finished (checked, or already finished, poisoned or abandoned): delete the message.</summary>
    Finished,

    /// <summary>Leave the message: it comes back after its visibility timeout (a failure, or another instance holds the shard).</summary>
    Retry,
}

/// <summary>
/// Checks one shard of a sharded run, for the Functions QueueTrigger and the self-host's consumer alike. The shard row is
/// claimed with one conditional update, so a message redelivered after the shard finished checks nothing; a bot recorded
/// by an earlier attempt is not due any more, so a retry checks only the rest. A message delivered more than
/// Sharding:MaxDeliveries times is reported poisoned, not checked again.
/// </summary>
internal sealed partial class ShardRunner(
    IDbContextFactory<WebhookDbContext> databases,
    WebhookChecker checker,
    CheckerLease lease,
    ShardedRunLog runs,
    IOptions<CheckerOptions> checkerOptions,
    IOptions<ShardingOptions> options,
    TimeProvider time,
    ILogger<ShardRunner> logger)
{
    public async Task<ShardDisposition> HandleAsync(BinaryData body, long deliveryCount, CancellationToken cancellationToken)
    {
        if (ShardMessage.TryRead(body) is not { } message)
        {
            LogUnreadable(logger, deliveryCount);
            return ShardDisposition.Finished;
        }
        if (deliveryCount > options.Value.MaxDeliveries)
        {
            return await PoisonAsync(message, deliveryCount, cancellationToken);
        }
        var holder = CheckerLease.NewHolder();
        var claim = await ClaimAsync(message, holder, cancellationToken);
        if (claim != null)
        {
            return claim.Value;
        }
        var settings = checkerOptions.Value;
        // The run holds the checker lease while any of its shards is checked: no other sweep starts beside it.
        if (!await lease.RenewAsync(ShardedRunLog.Holder(message.RunId), settings.LeaseDuration, cancellationToken))
        {
            LogAbandoned(logger, message.RunId, message.ShardKey);
            await FinishAsync(message, holder, ShardStatus.Abandoned, null, 0, ShardStopReasons.LeaseLost);
            return ShardDisposition.Finished;
        }
        try
        {
            (SweepTally Tally, int Left) result;
            await using (var held = new HeldLease(lease, ShardedRunLog.Holder(message.RunId), settings.LeaseDuration, time, logger))
            {
                result = await checker.CheckRangeAsync(new KeyRange(message.AfterId, message.ThroughId), message.Skip, message.BaseUrl,
                    message.CheckedBefore, message.Deadline, () => held.Held, cancellationToken);
            }
            var report = result.Tally.ToReport("shard", message.CheckedBefore, result.Left);
            var stop = report.Status == SweepStatus.LeaseLost ? ShardStopReasons.LeaseLost
                : report.Status == SweepStatus.BudgetExhausted ? ShardStopReasons.BudgetExhausted : null;
            await FinishAsync(message, holder, ShardStatus.Done, report, result.Left, stop);
            return ShardDisposition.Finished;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Released for the next delivery; the bots already recorded are not due any more.
            LogShardFailed(logger, message.RunId, message.ShardKey, deliveryCount, options.Value.MaxDeliveries, e);
            await ReleaseAsync(message, holder, e.GetType().Name);
            return ShardDisposition.Retry;
        }
    }

    /// <summary>For a queue trigger that deletes the message unless the function throws: throws when the message should come back.</summary>
    public async Task CheckOrRetryAsync(BinaryData body, long deliveryCount, CancellationToken cancellationToken)
    {
        if (await HandleAsync(body, deliveryCount, cancellationToken) == ShardDisposition.Retry)
        {
            throw new ShardRetryException();
        }
    }

    /// <summary>Null when this instance now holds the shard; otherwise what to do with the message.</summary>
    private async Task<ShardDisposition?> ClaimAsync(ShardMessage message, string holder, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + checkerOptions.Value.LeaseDuration;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var claimed = await Shard(db, message)
            .Where(s => s.Status == ShardStatus.Pending || (s.Status == ShardStatus.Running && s.ClaimedUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, ShardStatus.Running).SetProperty(s => s.Attempts, s => s.Attempts + 1)
                .SetProperty(s => s.Holder, holder).SetProperty(s => s.ClaimedUntil, until), cancellationToken);
        if (claimed == 1)
        {
            return null;
        }
        var status = await Shard(db, message).Select(s => (ShardStatus?)s.Status).SingleOrDefaultAsync(cancellationToken);
        if (status is null)
        {
            LogUnknownShard(logger, message.RunId, message.ShardKey);
            return ShardDisposition.Finished;
        }
        if (ShardStatuses.Finished(status.Value))
        {
            // A redelivery after the outcomes were recorded: nothing is checked twice.
            var finished = SnakeCase.Of(status.Value);
            LogAlreadyFinished(logger, message.RunId, message.ShardKey, finished);
            return ShardDisposition.Finished;
        }
        return ShardDisposition.Retry;
    }

    private async Task<ShardDisposition> PoisonAsync(ShardMessage message, long deliveryCount, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        int poisoned;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            poisoned = await Shard(db, message)
                .Where(s => s.Status == ShardStatus.Pending || (s.Status == ShardStatus.Running && s.ClaimedUntil < now))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, ShardStatus.Poisoned).SetProperty(s => s.FinishedAt, now).SetProperty(s => s.Holder, (string?)null), cancellationToken);
        }
        if (poisoned == 1)
        {
            LogPoisoned(logger, message.RunId, message.ShardKey, deliveryCount, options.Value.MaxDeliveries);
            await runs.TryCompleteAsync(message.RunId, CancellationToken.None);
            return ShardDisposition.Finished;
        }
        return await ClaimStatusAsync(message, cancellationToken);
    }

    private async Task<ShardDisposition> ClaimStatusAsync(ShardMessage message, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var status = await Shard(db, message).Select(s => (ShardStatus?)s.Status).SingleOrDefaultAsync(cancellationToken);
        return status is null || ShardStatuses.Finished(status.Value) ? ShardDisposition.Finished : ShardDisposition.Retry;
    }

    private async Task FinishAsync(ShardMessage message, string holder, ShardStatus status, SweepReport? report, int left, string? stop)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var counts = report is null ? "{}" : CheckHistory.CountsOf(report);
        var checkedCount = report?.Checked ?? 0;
        await using (var db = await databases.CreateDbContextAsync(CancellationToken.None))
        {
            await Shard(db, message).Where(s => s.Holder == holder)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, status).SetProperty(s => s.Checked, checkedCount).SetProperty(s => s.LeftForNextSweep, left)
                    .SetProperty(s => s.Counts, counts).SetProperty(s => s.FinishedAt, now).SetProperty(s => s.LastError, stop)
                    .SetProperty(s => s.ClaimedUntil, (DateTime?)null), CancellationToken.None);
        }
        await runs.TryCompleteAsync(message.RunId, CancellationToken.None);
    }

    private async Task ReleaseAsync(ShardMessage message, string holder, string error)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
            await Shard(db, message).Where(s => s.Holder == holder && s.Status == ShardStatus.Running)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, ShardStatus.Pending).SetProperty(s => s.ClaimedUntil, (DateTime?)null)
                    .SetProperty(s => s.LastError, error), CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            // The claim then expires by itself (Checker:LeaseDuration).
            LogReleaseFailed(logger, message.RunId, message.ShardKey, e.GetType().Name);
        }
    }

    private static IQueryable<SweepShard> Shard(WebhookDbContext db, ShardMessage message) =>
        db.Set<SweepShard>().Where(s => s.RunId == message.RunId && s.ShardKey == message.ShardKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sweep shard message that is not one was dropped (delivery {DeliveryCount})")]
    private static partial void LogUnreadable(ILogger logger, long deliveryCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep shard {ShardKey} of run {RunId} failed on delivery {DeliveryCount} of {MaxDeliveries}; it is retried")]
    private static partial void LogShardFailed(ILogger logger, Guid runId, int shardKey, long deliveryCount, int maxDeliveries, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep shard {ShardKey} of run {RunId} is poisoned: delivered {DeliveryCount} times (Sharding:MaxDeliveries {MaxDeliveries}); its bots were not checked and wait for the next sweep")]
    private static partial void LogPoisoned(ILogger logger, Guid runId, int shardKey, long deliveryCount, int maxDeliveries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep shard {ShardKey} of run {RunId} was abandoned: the run no longer holds the checker lease; its bots wait for the next sweep")]
    private static partial void LogAbandoned(ILogger logger, Guid runId, int shardKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep shard {ShardKey} of run {RunId} was delivered again after it finished ({Status}); nothing was checked")]
    private static partial void LogAlreadyFinished(ILogger logger, Guid runId, int shardKey, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep shard {ShardKey} of run {RunId} is not in the database (pruned, or another database); the message was dropped")]
    private static partial void LogUnknownShard(ILogger logger, Guid runId, int shardKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release sweep shard {ShardKey} of run {RunId} ({ErrorType}); its claim expires by itself")]
    private static partial void LogReleaseFailed(ILogger logger, Guid runId, int shardKey, string errorType);
}

/// <summary>Thrown to a queue trigger so the host makes the shard's message visible again (a failure, or another instance holds the shard).</summary>
internal sealed class ShardRetryException() : Exception("The sweep shard is to be delivered again (it failed, or another instance holds it).");
