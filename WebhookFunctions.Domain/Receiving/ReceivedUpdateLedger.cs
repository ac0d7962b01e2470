using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>
/// Remembers which updates went on the queue (table received_update), so a redelivery is enqueued once. The row's
/// primary key (bot_id, update_id) decides which of two simultaneous deliveries enqueues; the row counts as delivered
/// only once the enqueue succeeded.
/// </summary>
public sealed class ReceivedUpdateLedger(IDbContextFactory<WebhookDbContext> dbs, IOptions<UpdateQueueOptions> options, TimeProvider time)
{
    /// <summary>An unconfirmed claim older than this belongs to a delivery that died mid-way; the next delivery takes it over.</summary>
    public static readonly TimeSpan ClaimTimeout = UpdateQueue.EnqueueTimeout * 6;

    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(15);

    private long _nextPruneTicks;

    internal async Task<Claim> ClaimAsync(Guid botId, long updateId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await using var db = await dbs.CreateDbContextAsync(cancellationToken);
            db.ReceivedUpdates.Add(new ReceivedUpdate { BotId = botId, UpdateId = updateId, ReceivedAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new Claim(ClaimState.Taken, now);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Most likely the primary key: someone has the row. Look at it below.
            }

            db.ChangeTracker.Clear();
            var existing = await db.ReceivedUpdates.AsNoTracking().SingleOrDefaultAsync(u => u.BotId == botId && u.UpdateId == updateId, cancellationToken);
            if (existing is null)
            {
                // Released by a failed delivery meanwhile: try again.
                continue;
            }
            if (existing.EnqueuedAt is not null)
            {
                return new Claim(ClaimState.Duplicate, existing.ReceivedAt);
            }
            if (existing.ReceivedAt > now - ClaimTimeout)
            {
                return new Claim(ClaimState.InFlight, existing.ReceivedAt);
            }
            var taken = await Row(db, botId, updateId)
                .Where(u => u.EnqueuedAt == null && u.ReceivedAt == existing.ReceivedAt)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.ReceivedAt, now), cancellationToken);
            return new Claim(taken == 1 ? ClaimState.Taken : ClaimState.InFlight, now);
        }
    }

    /// <summary>
    /// The update is on the queue: from now on a redelivery is a duplicate. Also stamps the credential's
    /// last_update_received_at, in the same transaction: one write lock and one commit per update, not two.
    /// </summary>
    internal async Task ConfirmAsync(Guid botId, long updateId, DateTime claimedAt, Guid credentialId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await Row(db, botId, updateId).Where(u => u.ReceivedAt == claimedAt)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.EnqueuedAt, now), cancellationToken);
            // One column, and concurrency_stamp left alone: an arriving update must not fail the checker's and the
            // API's conditional saves, and they never write this column back (EF updates only what they changed).
            await db.Credentials
                .Where(c => c.Id == credentialId && (c.LastUpdateReceivedAt == null || c.LastUpdateReceivedAt < now))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastUpdateReceivedAt, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    /// <summary>The enqueue failed: forget the claim, so Telegram's redelivery is enqueued.</summary>
    internal async Task ReleaseAsync(Guid botId, long updateId, DateTime claimedAt, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await Row(db, botId, updateId).Where(u => u.EnqueuedAt == null && u.ReceivedAt == claimedAt).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Deletes rows older than the de-duplication window; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.DeduplicationWindow;
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await db.ReceivedUpdates.Where(u => u.ReceivedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Prunes at most once per interval per process, so the table stays small without a job of its own.</summary>
    internal async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        var due = Interlocked.Read(ref _nextPruneTicks);
        if (now < due || Interlocked.CompareExchange(ref _nextPruneTicks, now + PruneInterval.Ticks, due) != due)
        {
            return;
        }
        await PruneAsync(cancellationToken);
    }

    private static IQueryable<ReceivedUpdate> Row(WebhookDbContext db, Guid botId, long updateId) =>
        db.ReceivedUpdates.Where(u => u.BotId == botId && u.UpdateId == updateId);
}

internal enum ClaimState
{
    /// <summary>This delivery enqueues the update.</summary>
    Taken,

    /// <summary>Already on the queue.</summary>
    Duplicate,

    /// <summary>Another delivery is enqueuing it right now.</summary>
    InFlight,
}

/// <summary>The outcome of claiming an update, with the claim's time (the token for confirm and release).</summary>
internal readonly record struct Claim(ClaimState State, DateTime ClaimedAt);
