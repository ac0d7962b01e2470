using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Credentials;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.History;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Urls;

namespace WebhookFunctions.Domain.Checking;

/// <summary>
/// One sweep over the fleet (docs/spec.md#7-background-worker, fixed): under the lease, reads due bots in keyset pages, checks them
/// with bounded concurrency within a time budget, and records the outcomes in batches.
/// </summary>
internal sealed partial class WebhookChecker(
    IDbContextFactory<WebhookDbContext> databases,
    CheckerLease lease,
    WebhookUrlResolver urls,
    BotChecker bots,
    OutcomeRecorder recorder,
    FleetQuery fleet,
    TelegramBotAudit audit,
    IOptions<CheckerOptions> options,
    CheckerMetrics metrics,
    WebhookHistory history,
    TimeProvider time,
    ILogger<WebhookChecker> logger)
{
    public async Task<SweepReport> SweepAsync(string trigger, CancellationToken cancellationToken)
    {
        using var span = CheckerMetrics.Sweeps.StartActivity("webhook sweep");
        span?.SetTag("webhook.sweep.trigger", trigger);
        var started = time.GetTimestamp();
        try
        {
            var report = await SweepUnderLeaseAsync(trigger, started, cancellationToken);
            if (report.Status != SweepStatus.AlreadyRunning)
            {
                await CountFleetAsync(cancellationToken);
            }
            Describe(span, report);
            return report;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: not a failure to alert on.
            span?.SetStatus(ActivityStatusCode.Error, "cancelled");
            throw;
        }
        catch (Exception e)
        {
            // A sweep that throws is still measured, so an alert on failed sweeps sees it.
            metrics.Swept(SweepStatus.Failed, time.GetElapsedTime(started));
            span?.SetTag("webhook.sweep.status", SnakeCase.Of(SweepStatus.Failed));
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    private async Task<SweepReport> SweepUnderLeaseAsync(string trigger, long started, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var startedAt = time.GetUtcNow().UtcDateTime;
        var holder = CheckerLease.NewHolder();
        if (!await lease.TryAcquireAsync(holder, settings.LeaseDuration, cancellationToken))
        {
            LogAlreadyRunning(logger, trigger);
            return new SweepReport { Trigger = trigger, Status = SweepStatus.AlreadyRunning, StartedAt = startedAt, Detail = "Another sweep holds the checker lease; try again when it has finished." };
        }
        // Renewed while the sweep runs, however long its checks take (429 waits, slow calls).
        var held = new HeldLease(lease, holder, settings.LeaseDuration, time, logger);
        try
        {
            string baseUrl;
            try
            {
                baseUrl = await urls.GetBaseUrlAsync(cancellationToken);
            }
            catch (WebhookUrlUnavailableException e)
            {
                // Without the URL every bot would look drifted: check nothing rather than "repair" them all.
                LogUrlUnavailable(logger, trigger, e.Message);
                return await FinishAsync(new SweepReport { Trigger = trigger, Status = SweepStatus.UrlUnavailable, StartedAt = startedAt, Detail = e.Message }, started);
            }
            // A Telegram bot under two bot ids would have its webhook moved between them: the later one is left alone.
            var tally = new SweepTally(settings.ReportMaxBots) { Duplicates = await audit.FindDuplicatesAsync(cancellationToken) };
            var skipped = tally.Duplicates.Select(d => d.CredentialId).ToHashSet();
            await RunAsync(tally, KeyRange.All, () => held.Held, () => time.GetElapsedTime(started) >= settings.TimeBudget, skipped, baseUrl,
                startedAt - settings.MinCheckInterval, settings, cancellationToken);
            var left = tally.BudgetExhausted || tally.LeaseLost ? await CountDueAsync(KeyRange.All, startedAt - settings.MinCheckInterval, cancellationToken) : 0;
            return await FinishAsync(tally.ToReport(trigger, startedAt, left), started);
        }
        finally
        {
            await held.DisposeAsync();
            await lease.ReleaseAsync(holder, CancellationToken.None);
        }
    }

    /// <summary>
    /// One shard of a sharded run: checks the due bots of <paramref name="range"/> and records them, starting none once
    /// <paramref name="held"/> turns false or <paramref name="deadline"/> has passed; the tally and how many due bots were left.
    /// </summary>
    internal async Task<(SweepTally Tally, int Left)> CheckRangeAsync(KeyRange range, IReadOnlyCollection<Guid> skipped, string baseUrl, DateTime checkedBefore,
        DateTime deadline, Func<bool> held, CancellationToken cancellationToken)
    {
        var tally = new SweepTally(options.Value.ReportMaxBots);
        await RunAsync(tally, range, held, () => time.GetUtcNow().UtcDateTime >= deadline, [.. skipped], baseUrl, checkedBefore, options.Value, cancellationToken);
        var left = tally.BudgetExhausted || tally.LeaseLost ? await CountDueAsync(range, checkedBefore, cancellationToken) : 0;
        return (tally, left);
    }

    private async Task RunAsync(SweepTally tally, KeyRange range, Func<bool> held, Func<bool> budgetSpent, HashSet<Guid> skipped, string baseUrl, DateTime checkedBefore,
        CheckerOptions settings, CancellationToken cancellationToken)
    {
        // Three stages: pages are read ahead while bots are checked, and outcomes are written while checks go on.
        var due = Channel.CreateBounded<BotPlatformCredential>(new BoundedChannelOptions(settings.BatchSize) { SingleWriter = true });
        var results = Channel.CreateBounded<BotCheckResult>(new BoundedChannelOptions(settings.BatchSize * 2) { SingleReader = true });
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = ReadDueAsync(due.Writer, range, skipped, checkedBefore, settings.BatchSize, stopReading.Token);
        var recording = RecordAllAsync(results, tally, settings.BatchSize);
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(WithinBudgetAsync(due.Reader, tally, held, budgetSpent, cancellationToken), parallel, async (bot, ct) =>
                await results.Writer.WriteAsync(await bots.CheckAsync(bot, baseUrl, ct), ct));
        }
        finally
        {
            // The reader may wait on a full channel once the budget is spent. What was checked is recorded even
            // when the sweep is cancelled.
            await stopReading.CancelAsync();
            await reading;
            results.Writer.TryComplete();
            await recording;
        }
    }

    /// <summary>Due bots in keyset pages of <paramref name="batchSize"/>; a failure reaches the checks through the channel.</summary>
    private async Task ReadDueAsync(ChannelWriter<BotPlatformCredential> due, KeyRange range, HashSet<Guid> skipped, DateTime checkedBefore, int batchSize, CancellationToken cancellationToken)
    {
        try
        {
            Guid? after = range.After;
            while (true)
            {
                List<BotPlatformCredential> page;
                await using (var db = await databases.CreateDbContextAsync(cancellationToken))
                {
                    var candidates = (range with { After = after }).Within(db.Credentials.AsNoTracking().Due(checkedBefore));
                    page = await candidates.OrderBy(c => c.Id).Take(batchSize).ToListAsync(cancellationToken);
                }
                foreach (var bot in page.Where(b => !skipped.Contains(b.Id)))
                {
                    await due.WriteAsync(bot, cancellationToken);
                }
                if (page.Count < batchSize)
                {
                    break;
                }
                after = page[^1].Id;
            }
            due.TryComplete();
        }
        catch (Exception e)
        {
            due.TryComplete(e);
        }
    }

    /// <summary>Hands out due bots while the lease is held and until the time budget is spent; the rest waits for the next sweep.</summary>
    private static async IAsyncEnumerable<BotPlatformCredential> WithinBudgetAsync(ChannelReader<BotPlatformCredential> due, SweepTally tally, Func<bool> held, Func<bool> budgetSpent,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var bot in due.ReadAllAsync(cancellationToken))
        {
            if (!held())
            {
                // Another sweep may be running now: starting more checks would run two sweeps side by side.
                tally.LeaseLost = true;
                yield break;
            }
            if (budgetSpent())
            {
                tally.BudgetExhausted = true;
                yield break;
            }
            yield return bot;
        }
    }

    private async Task RecordAllAsync(Channel<BotCheckResult> results, SweepTally tally, int batchSize)
    {
        try
        {
            var batch = new List<BotCheckResult>(batchSize);
            await foreach (var result in results.Reader.ReadAllAsync(CancellationToken.None))
            {
                batch.Add(result);
                if (batch.Count == batchSize)
                {
                    tally.Add(await RecordAsync(batch));
                    batch.Clear();
                    // What the batch's checks freed goes back to the OS now, so the sweep's footprint doesn't grow with its length.
                    NativeHeap.ReturnFreePages();
                }
            }
            tally.Add(await RecordAsync(batch));
        }
        catch (Exception e)
        {
            // The database failed: stop the checks too, rather than checking bots whose outcome can't be kept.
            results.Writer.TryComplete(e);
            throw;
        }
    }

    /// <summary>Records a batch, then settles the Telegram calls of the checks an operator's change superseded.</summary>
    private async Task<List<(BotCheckResult Result, bool Recorded)>> RecordAsync(List<BotCheckResult> batch)
    {
        var recorded = await recorder.RecordAsync(batch, CancellationToken.None);
        await bots.SettleSupersededAsync(recorded, CancellationToken.None);
        return recorded;
    }

    private async Task<int> CountDueAsync(KeyRange range, DateTime checkedBefore, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await range.Within(db.Credentials.Due(checkedBefore)).CountAsync(cancellationToken);
    }

    /// <summary>Counts the fleet by state for the bots gauge: one grouped query per sweep, never a failure of the sweep.</summary>
    private async Task CountFleetAsync(CancellationToken cancellationToken)
    {
        try
        {
            metrics.Counted(await fleet.CountByStateAsync(cancellationToken));
        }
        catch (Exception e)
        {
            LogFleetCountFailed(logger, e);
        }
    }

    private static void Describe(Activity? span, SweepReport report)
    {
        if (span is null)
        {
            return;
        }
        span.SetTag("webhook.sweep.status", SnakeCase.Of(report.Status));
        span.SetTag("webhook.sweep.checked", report.Checked);
        span.SetTag("webhook.sweep.healthy", report.Healthy);
        span.SetTag("webhook.sweep.refreshed", report.Refreshed);
        span.SetTag("webhook.sweep.skipped", report.Skipped);
        span.SetTag("webhook.sweep.failed", report.Failed);
        span.SetTag("webhook.sweep.token_rejected", report.TokenRejected);
        span.SetTag("webhook.sweep.deferred", report.Deferred);
        span.SetTag("webhook.sweep.superseded", report.Superseded);
        span.SetTag("webhook.sweep.left_for_next_sweep", report.LeftForNextSweep);
        if (report.Status == SweepStatus.UrlUnavailable)
        {
            span.SetStatus(ActivityStatusCode.Error, SnakeCase.Of(report.Status));
        }
    }

    private async Task<SweepReport> FinishAsync(SweepReport report, long started)
    {
        report = report with { Duration = time.GetElapsedTime(started) };
        metrics.Swept(report);
        // Logged as its snake_case name, as the metrics and the report spell it (a lookup, not worth a guard).
        var status = SnakeCase.Of(report.Status);
        LogSwept(logger, report.Trigger, status, report.Checked, report.Healthy, report.Refreshed, report.Skipped, report.Failed,
            report.TokenRejected, report.Deferred, report.Contested, report.Disabled, report.Superseded, report.LeftForNextSweep,
            report.DuplicateTelegramBots.Count, (long)report.Duration.TotalMilliseconds);
        await history.RecordSweepAsync(CheckHistory.RunOf(report));
        return report;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook sweep ({Trigger}) {Status}: checked {CheckedCount} in {DurationMs} ms: {Healthy} healthy, {Refreshed} refreshed, {Skipped} skipped, {Failed} failed, {TokenRejected} token rejected, {Deferred} deferred, {Contested} contested, {Disabled} disabled, {Superseded} superseded, {LeftForNextSweep} left for the next sweep, {DuplicateTelegramBots} left alone sharing a Telegram bot")]
    private static partial void LogSwept(ILogger logger, string trigger, string status, int checkedCount, int healthy, int refreshed, int skipped, int failed, int tokenRejected, int deferred, int contested, int disabled, int superseded, int leftForNextSweep, int duplicateTelegramBots, long durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count the fleet by state after a sweep; the bots gauge keeps the previous counts")]
    private static partial void LogFleetCountFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook sweep ({Trigger}) not run: another sweep holds the checker lease")]
    private static partial void LogAlreadyRunning(ILogger logger, string trigger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook sweep ({Trigger}) checked nothing: the webhook URL is unavailable: {Detail}")]
    private static partial void LogUrlUnavailable(ILogger logger, string trigger, string detail);
}
