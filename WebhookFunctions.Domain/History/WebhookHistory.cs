using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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

    /// <summary>
    /// Appends what a batch of the checker's checks changed, and of the delivery errors Telegram reported the ones not
    /// recorded yet (<see cref="IsUnseen"/> picks those worth looking up).
    /// </summary>
    internal async Task RecordChecksAsync(List<WebhookHistoryEntry> changes, List<WebhookHistoryEntry> deliveryErrors)
    {
        const string source = "checker";
        if (changes.Count == 0 && deliveryErrors.Count == 0)
        {
            return;
        }
        try
        {
            changes.AddRange(await UnrecordedAsync(deliveryErrors));
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
        {
            LogNotRecorded(logger, source, e.GetType().Name);
        }
        await AppendAsync(changes, source);
    }

    /// <summary>Whether a delivery error dated <paramref name="errorAt"/> may not have been seen by the bot's previous sweep.</summary>
    internal static bool IsUnseen(DateTime errorAt, DateTime? lastSweptAt) => lastSweptAt is not { } swept || errorAt > swept - UnseenErrorSlack;

    /// <summary>Logs a finished sweep (the dashboard's "last sweep"), then prunes what is older than the retention.</summary>
    internal async Task RecordSweepAsync(SweepRun run)
    {
        run.Trigger = Clip(run.Trigger, 32)!;
        run.Detail = Clip(run.Detail, HistoryModel.MaxMessageLength);
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

    /// <summary>
    /// Deletes entries, sweep runs and the shards of sharded runs older than the retention, a bounded number of rows per
    /// statement. A shard goes with its run (they are written together), or when its run is already gone.
    /// </summary>
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
        deleted += await db.Set<SweepShard>()
            .Where(shard => !db.Set<SweepRun>().Any(run => run.RunId == shard.RunId && run.StartedAt >= cutoff))
            .OrderBy(shard => shard.RunId).ThenBy(shard => shard.ShardKey).Take(settings.PruneBatchSize)
            .ExecuteDeleteAsync(CancellationToken.None);
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

    private static string? Clip(string? text, int max) => text is { Length: var n } && n > max ? text[..max] : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "History entries from {Source} were not recorded ({ExceptionType}); the changes themselves stand")]
    private static partial void LogNotRecorded(ILogger logger, string source, string exceptionType);
}
