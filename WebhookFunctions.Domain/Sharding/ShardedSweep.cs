using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Credentials;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.History;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Urls;

namespace WebhookFunctions.Domain.Sharding;

/// <summary>
/// The scheduled sweep (the Functions timer, the self-host's scheduler): in one instance (<see cref="WebhookChecker"/>),
/// or, when Sharding:Mode says so, split under the checker lease into key ranges of about Checker:BatchSize due bots,
/// one queue message each, checked by every instance that consumes the queue (<see cref="ShardRunner"/>).
/// </summary>
internal sealed partial class ShardedSweep(
    IDbContextFactory<WebhookDbContext> databases,
    WebhookChecker checker,
    CheckerLease lease,
    WebhookUrlResolver urls,
    TelegramBotAudit audit,
    ShardQueue queue,
    ShardedRunLog runs,
    WebhookHistory history,
    IOptions<CheckerOptions> checkerOptions,
    IOptions<ShardingOptions> options,
    TimeProvider time,
    ILogger<ShardedSweep> logger) : IScheduledSweep
{
    // Shard messages sent at once: each is one HTTP call to the queue.
    private const int SendConcurrency = 8;

    public async Task<SweepReport> RunScheduledAsync(string trigger, CancellationToken cancellationToken)
    {
        var settings = checkerOptions.Value;
        var mode = options.Value.Mode;
        if (mode == SweepSharding.Off)
        {
            return await checker.SweepAsync(trigger, cancellationToken);
        }
        var (due, threshold) = mode == SweepSharding.On ? (0, 0) : await SizeUpAsync(settings, cancellationToken);
        if (!ShardingDecision.ShouldShard(mode, due, threshold))
        {
            return await checker.SweepAsync(trigger, cancellationToken);
        }
        LogSharding(logger, trigger, mode, due, threshold);
        return await DispatchAsync(trigger, cancellationToken);
    }

    /// <summary>The due bots now, and Auto's threshold from the pace of the last sweep one instance ran (or the assumed check time).</summary>
    private async Task<(int Due, int Threshold)> SizeUpAsync(CheckerOptions settings, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var due = await db.Credentials.Due(time.GetUtcNow().UtcDateTime - settings.MinCheckInterval).CountAsync(cancellationToken);
        var enough = 4 * settings.MaxConcurrency;
        var last = await db.Set<SweepRun>().AsNoTracking()
            .Where(r => r.Shards == 0 && r.Status == SweepStatus.Completed && r.Checked >= enough)
            .OrderByDescending(r => r.Id).Select(r => new { r.DurationMs, r.Checked }).FirstOrDefaultAsync(cancellationToken);
        var checkTime = last is null ? options.Value.AssumedCheckTime : ShardingDecision.ObservedCheckTime(last.DurationMs, last.Checked, settings.MaxConcurrency);
        return (due, ShardingDecision.Threshold(options.Value.AutoAboveBots, settings.MaxConcurrency, settings.TimeBudget, checkTime));
    }

    /// <summary>Takes the lease for a new run, writes its shards and enqueues them; the lease stays with the run until its last shard finishes.</summary>
    public async Task<SweepReport> DispatchAsync(string trigger, CancellationToken cancellationToken)
    {
        var settings = checkerOptions.Value;
        var runId = Guid.NewGuid();
        var holder = ShardedRunLog.Holder(runId);
        var startedAt = time.GetUtcNow().UtcDateTime;
        if (!await lease.TryAcquireAsync(holder, settings.LeaseDuration, cancellationToken))
        {
            return new SweepReport { Trigger = trigger, Status = SweepStatus.AlreadyRunning, StartedAt = startedAt, Detail = "Another sweep holds the checker lease; try again when it has finished." };
        }
        var handedOver = false;
        try
        {
            string baseUrl;
            try
            {
                baseUrl = await urls.GetBaseUrlAsync(cancellationToken);
            }
            catch (WebhookUrlUnavailableException e)
            {
                var unavailable = new SweepReport { Trigger = trigger, Status = SweepStatus.UrlUnavailable, StartedAt = startedAt, Detail = e.Message };
                await history.RecordSweepAsync(CheckHistory.RunOf(unavailable));
                return unavailable;
            }
            var skip = (await audit.FindDuplicatesAsync(cancellationToken)).Select(d => d.CredentialId).ToHashSet();
            var checkedBefore = startedAt - settings.MinCheckInterval;
            var cut = await CutAsync(runId, checkedBefore, settings.BatchSize, skip, cancellationToken);
            var shards = cut.Select(c => c.Shard).ToList();
            await using (var db = await databases.CreateDbContextAsync(cancellationToken))
            {
                db.Set<SweepRun>().Add(new SweepRun { RunId = runId, StartedAt = startedAt, Trigger = trigger, Status = SweepStatus.Running, Shards = shards.Count });
                db.Set<SweepShard>().AddRange(shards);
                await db.SaveChangesAsync(cancellationToken);
            }
            handedOver = true;
            var deadline = startedAt + settings.TimeBudget;
            var unsent = await SendAllAsync(runId, cut.Select(c => new ShardMessage
            {
                RunId = runId,
                ShardKey = c.Shard.ShardKey,
                AfterId = c.Shard.AfterId,
                ThroughId = c.Shard.ThroughId,
                CheckedBefore = checkedBefore,
                Deadline = deadline,
                BaseUrl = baseUrl,
                Skip = c.Skip,
            }).ToList());
            // With no shards (nothing due) or none sent, the run completes here.
            var completed = await runs.TryCompleteAsync(runId, CancellationToken.None);
            var dueBots = shards.Sum(s => s.Bots);
            LogDispatched(logger, trigger, runId, shards.Count, dueBots, unsent, queue.Name);
            return completed ?? new SweepReport
            {
                Trigger = trigger,
                Status = SweepStatus.Dispatched,
                StartedAt = startedAt,
                Duration = time.GetUtcNow().UtcDateTime - startedAt,
                Detail = $"Run {runId}: {dueBots} due bots in {shards.Count} shards on queue {queue.Name}"
                    + (unsent > 0 ? $"; {unsent} could not be enqueued and wait for the next sweep" : "") + ". The sweep log shows the run when its last shard finishes.",
                LeftForNextSweep = 0,
            };
        }
        finally
        {
            if (!handedOver)
            {
                await lease.ReleaseAsync(holder, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Due bots' ids in keyset pages of <paramref name="batchSize"/>: one shard per page, its range ending at the page's last id, with the
    /// credentials of the page that share a Telegram bot (left alone, as in one instance).
    /// </summary>
    private async Task<List<(SweepShard Shard, List<Guid> Skip)>> CutAsync(Guid runId, DateTime checkedBefore, int batchSize, HashSet<Guid> skip, CancellationToken cancellationToken)
    {
        var shards = new List<(SweepShard, List<Guid>)>();
        Guid? after = null;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            var page = await new KeyRange(after, null).Within(db.Credentials.AsNoTracking().Due(checkedBefore))
                .OrderBy(c => c.Id).Select(c => c.Id).Take(batchSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }
            var skipped = page.Where(skip.Contains).ToList();
            shards.Add((new SweepShard { RunId = runId, ShardKey = shards.Count, AfterId = after, ThroughId = page[^1], Bots = page.Count - skipped.Count }, skipped));
            if (page.Count < batchSize)
            {
                break;
            }
            after = page[^1];
        }
        return shards;
    }

    /// <summary>Sends every shard's message; a shard whose message could not be sent is abandoned (reported, never silently lost). Returns how many.</summary>
    private async Task<int> SendAllAsync(Guid runId, List<ShardMessage> messages)
    {
        var unsent = new System.Collections.Concurrent.ConcurrentBag<int>();
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = SendConcurrency }, async (shard, ct) =>
        {
            try
            {
                await queue.SendAsync(shard, ct);
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or IOException or OperationCanceledException)
            {
                LogSendFailed(logger, shard.RunId, shard.ShardKey, e.GetType().Name);
                unsent.Add(shard.ShardKey);
            }
        });
        if (!unsent.IsEmpty)
        {
            var keys = unsent.ToList();
            await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
            await db.Set<SweepShard>().Where(s => s.RunId == runId && keys.Contains(s.ShardKey))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, ShardStatus.Abandoned).SetProperty(s => s.LastError, "not_enqueued"), CancellationToken.None);
        }
        return unsent.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook sweep ({Trigger}) sharded (Sharding:Mode {Mode}): {DueBots} due bots, threshold {Threshold}")]
    private static partial void LogSharding(ILogger logger, string trigger, SweepSharding mode, int dueBots, int threshold);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook sweep ({Trigger}) dispatched run {RunId}: {Shards} shards, {DueBots} due bots, {Unsent} not enqueued, queue {QueueName}")]
    private static partial void LogDispatched(ILogger logger, string trigger, Guid runId, int shards, int dueBots, int unsent, string queueName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not enqueue sweep shard {ShardKey} of run {RunId} ({ErrorType}); its bots wait for the next sweep")]
    private static partial void LogSendFailed(ILogger logger, Guid runId, int shardKey, string errorType);
}
