using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.History;

/// <summary>
/// Appends to the bots' history and the sweep log, and prunes both. A failure to record is logged, never thrown:
/// the change it describes has already happened and must not be reported as failed.
/// </summary>
internal sealed partial class WebhookHistory(
    IDbContextFactory<WebhookDbContext> databases,
    IOptions<HistoryOptions> options,
    TimeProvider time,
    ILogger<WebhookHistory> logger)
{
    // A delivery error dated this long before the bot's previous sweep may still be unseen (clock skew, a long check).
    private static readonly TimeSpan UnseenErrorSlack = TimeSpan.FromMinutes(10);

    // Pruning stops after this many statements; the next sweep goes on.
    private const int MaxPruneStatements = 20;

    /// <summary>Appends an operator's change (see <see cref="HistoryEvents"/>).</summary>
    public Task RecordAsync(WebhookHistoryEntry entry) => AppendAsync([entry], "api");

    /// <summary>What a batch of recorded checks changed: webhooks the checker set, state changes, new delivery errors.</summary>
    internal async Task RecordChecksAsync(IEnumerable<(BotCheckResult Result, bool Recorded)> checks)
    {
        var entries = new List<WebhookHistoryEntry>();
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
                entries.Add(HistoryEvents.WebhookSet(botId, HistoryActors.Checker, applied.Url, result.Reason));
            }
            var (before, after) = (BotStates.For(result.Read), BotStates.For(AfterCheck(result)));
            if (before != after)
            {
                entries.Add(HistoryEvents.StateChanged(botId, HistoryActors.Checker, before, after, result.Reason, result.Error));
            }
            if (result.Seen?.LastErrorDate is { } errorAt && (result.Read.LastSweptAt is not { } swept || errorAt > swept - UnseenErrorSlack))
            {
                errors.Add(HistoryEvents.DeliveryError(botId, errorAt, result.Seen.LastErrorMessage));
            }
        }
        if (entries.Count == 0 && errors.Count == 0)
        {
            return;
        }
        try
        {
            entries.AddRange(await UnrecordedAsync(errors));
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
        {
            LogNotRecorded(logger, "checker", e.GetType().Name);
        }
        await AppendAsync(entries, "checker");
    }

    /// <summary>Logs a finished sweep (the dashboard's "last sweep"), then prunes what is older than the retention.</summary>
    internal async Task RecordSweepAsync(SweepReport report)
    {
        var run = new SweepRun
        {
            StartedAt = report.StartedAt,
            DurationMs = (long)report.Duration.TotalMilliseconds,
            Trigger = Clip(report.Trigger, 32)!,
            Status = report.Status,
            Checked = report.Checked,
            LeftForNextSweep = report.LeftForNextSweep,
            Counts = CountsOf(report),
            Detail = Clip(report.Detail, HistoryModel.MaxMessageLength),
        };
        try
        {
            await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
            db.Set<SweepRun>().Add(run);
            await db.SaveChangesAsync(CancellationToken.None);
            await PruneAsync(db);
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
        {
            LogNotRecorded(logger, "sweep", e.GetType().Name);
        }
    }

    /// <summary>The report's counts by outcome (and superseded) as sweep_run.counts stores them.</summary>
    internal static string CountsOf(SweepReport report)
    {
        var counts = new Dictionary<string, int>
        {
            [CheckOutcomes.Healthy] = report.Healthy,
            [CheckOutcomes.Refreshed] = report.Refreshed,
            [CheckOutcomes.Skipped] = report.Skipped,
            [CheckOutcomes.Failed] = report.Failed,
            [CheckOutcomes.TokenRejected] = report.TokenRejected,
            [CheckOutcomes.Deferred] = report.Deferred,
            [CheckOutcomes.Contested] = report.Contested,
            ["superseded"] = report.Superseded,
        };
        return JsonSerializer.Serialize(counts);
    }

    /// <summary>Deletes entries and sweep runs older than the retention, a bounded number of rows per statement.</summary>
    internal async Task<int> PruneAsync(WebhookDbContext db)
    {
        var settings = options.Value;
        var cutoff = time.GetUtcNow().UtcDateTime - settings.Retention;
        var deleted = 0;
        for (var statements = 0; statements < MaxPruneStatements; statements++)
        {
            var batch = await db.Set<WebhookHistoryEntry>().Where(h => h.At < cutoff).OrderBy(h => h.Id).Take(settings.PruneBatchSize)
                .ExecuteDeleteAsync(CancellationToken.None);
            deleted += batch;
            if (batch < settings.PruneBatchSize)
            {
                break;
            }
        }
        deleted += await db.Set<SweepRun>().Where(s => s.StartedAt < cutoff).OrderBy(s => s.Id).Take(settings.PruneBatchSize)
            .ExecuteDeleteAsync(CancellationToken.None);
        return deleted;
    }

    /// <summary>The delivery errors not recorded yet (one query for the batch).</summary>
    private async Task<List<WebhookHistoryEntry>> UnrecordedAsync(List<WebhookHistoryEntry> errors)
    {
        if (errors.Count == 0)
        {
            return errors;
        }
        var bots = errors.Select(e => e.BotId).Distinct().ToList();
        var dates = errors.Select(e => e.TelegramErrorAt).Distinct().ToList();
        await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
        var known = await db.Set<WebhookHistoryEntry>().AsNoTracking()
            .Where(h => h.TelegramErrorAt != null && bots.Contains(h.BotId) && dates.Contains(h.TelegramErrorAt))
            .Select(h => new { h.BotId, h.TelegramErrorAt })
            .ToListAsync(CancellationToken.None);
        return errors.Where(e => !known.Any(k => k.BotId == e.BotId && k.TelegramErrorAt == e.TelegramErrorAt)).ToList();
    }

    private async Task AppendAsync(List<WebhookHistoryEntry> entries, string source)
    {
        if (entries.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var entry in entries)
        {
            entry.At = now;
            entry.Message = Clip(entry.Message, HistoryModel.MaxMessageLength);
            entry.Url = Clip(entry.Url, 2048);
        }
        try
        {
            await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
            await HistoryWriter.AppendAsync(db, entries, CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
        {
            // The type only: a database message may quote the values.
            LogNotRecorded(logger, source, e.GetType().Name);
        }
    }

    /// <summary>The row as the check leaves it, for its state.</summary>
    private static BotPlatformCredential AfterCheck(BotCheckResult result) => new()
    {
        TokenRejected = result.Outcome == CheckOutcomes.TokenRejected || result.Read.TokenRejected,
        WebhookEnabled = result.Applied is not null || result.Read.WebhookEnabled,
        LastCheckOutcome = result.Outcome,
    };

    private static string? Clip(string? text, int max) => text is { Length: var n } && n > max ? text[..max] : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "History entries from {Source} were not recorded ({ExceptionType}); the changes themselves stand")]
    private static partial void LogNotRecorded(ILogger logger, string source, string exceptionType);
}
