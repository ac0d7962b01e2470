using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>
/// Remembers which updates went on the queue (table received_update), so a redelivery is enqueued once. The row's
/// primary key (bot_id, update_id) decides which of two simultaneous deliveries enqueues, in this process and across
/// replicas; the row counts as delivered only once the enqueue succeeded. One writer per process takes every claim,
/// confirm and release waiting at that moment and commits them in one transaction: batching saves commits, while
/// the key, not the batch, still decides duplicates (a batch a replica's insert collides with is redone one by one).
/// </summary>
internal sealed partial class ReceivedUpdateLedger : IAsyncDisposable
{
    /// <summary>An unconfirmed claim older than this belongs to a delivery that died mid-way; the next delivery takes it over.</summary>
    public static readonly TimeSpan ClaimTimeout = UpdateQueue.EnqueueTimeout * 6;

    private const int MaxBatch = 256;
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(15);

    private readonly IDbContextFactory<WebhookDbContext> _dbs;
    private readonly IOptions<UpdateQueueOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ReceivedUpdateLedger> _logger;
    private readonly Channel<LedgerWrite> _writes = Channel.CreateUnbounded<LedgerWrite>();
    private readonly Task _writer;
    private long _nextPruneTicks;
    private WebhookDbContext? _db;

    public ReceivedUpdateLedger(IDbContextFactory<WebhookDbContext> dbs, IOptions<UpdateQueueOptions> options, TimeProvider time, ILogger<ReceivedUpdateLedger> logger)
    {
        _dbs = dbs;
        _options = options;
        _time = time;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Claims the update for this delivery, or says why not (enqueued already, or another delivery has it).</summary>
    internal Task<Claim> ClaimAsync(Guid botId, long updateId) => Submit(new LedgerWrite(WriteKind.Claim, botId, updateId, default, default));

    /// <summary>
    /// The update is on the queue: from now on a redelivery is a duplicate. Also stamps the credential's
    /// last_update_received_at, in the same commit.
    /// </summary>
    internal Task ConfirmAsync(Guid botId, long updateId, DateTime claimedAt, Guid credentialId) =>
        Submit(new LedgerWrite(WriteKind.Confirm, botId, updateId, claimedAt, credentialId));

    /// <summary>The enqueue failed: forget the claim, so Telegram's redelivery is enqueued.</summary>
    internal Task ReleaseAsync(Guid botId, long updateId, DateTime claimedAt) =>
        Submit(new LedgerWrite(WriteKind.Release, botId, updateId, claimedAt, default));

    /// <summary>Writes waiting for the writer (not the batch it is committing).</summary>
    internal int Waiting => _writes.Reader.Count;

    // Not cancellable once submitted: a claim taken for a caller that left would block redeliveries for ClaimTimeout.
    private Task<Claim> Submit(LedgerWrite write) =>
        _writes.Writer.TryWrite(write) ? write.Done.Task : Task.FromException<Claim>(new ObjectDisposedException(nameof(ReceivedUpdateLedger)));

    private async Task WriteLoopAsync()
    {
        var batch = new List<LedgerWrite>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }
            try
            {
                await WriteBatchAsync(batch);
            }
            catch (Exception e) when (batch.Count > 1)
            {
                // One write spoiled the batch (most likely another replica inserted one of its keys): each alone.
                LogBatchRedone(_logger, batch.Count, e);
                foreach (var write in batch)
                {
                    await WriteAloneAsync(write);
                }
            }
            catch (Exception e)
            {
                batch[0].Done.TrySetException(e);
            }
            batch.Clear();
        }
    }

    private async Task WriteAloneAsync(LedgerWrite write)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteBatchAsync([write]);
                return;
            }
            catch (Exception e) when (attempt < 3 && e is DbUpdateException or DbException)
            {
                // The key was inserted by another replica meanwhile (SQL Server): the next attempt reads its row.
            }
            catch (Exception e)
            {
                write.Done.TrySetException(e);
                return;
            }
        }
    }

    private async Task WriteBatchAsync(IReadOnlyList<LedgerWrite> batch)
    {
        Dictionary<LedgerWrite, Claim> claims;
        try
        {
            claims = await CommitAsync(await ContextAsync(), batch);
        }
        catch
        {
            // Whatever state the failure left the context in, the next batch starts on a new one.
            await DropContextAsync();
            throw;
        }
        foreach (var write in batch)
        {
            write.Done.TrySetResult(write.Kind == WriteKind.Claim ? claims[write] : default);
        }
    }

    // The writer's own context, reused from batch to batch (only the write loop touches it): setting up a context for
    // every batch cost more than its statements. On SQLite it keeps its connection open, with synchronous=NORMAL: in
    // WAL mode a commit then skips its fsync, and the last commits before a power cut (not a process crash) can be
    // lost. For this table that costs at most a second copy of an update on the queue, which the at-least-once
    // guarantee allows; nothing Telegram delivered is lost, because a 200 still waits for the enqueue.
    private async Task<WebhookDbContext> ContextAsync()
    {
        if (_db is not null)
        {
            return _db;
        }
        var db = await _dbs.CreateDbContextAsync();
        // The batch's transaction is the unit: a failed write rolls all of it back and the batch is redone one by one, so
        // the savepoint EF would wrap a write in buys nothing.
        db.Database.AutoSavepointsEnabled = false;
        if (db is SqliteWebhookDbContext)
        {
            try
            {
                await db.Database.OpenConnectionAsync();
                await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous = NORMAL");
            }
            catch
            {
                await db.DisposeAsync();
                throw;
            }
        }
        return _db = db;
    }

    private async Task DropContextAsync()
    {
        if (_db is { } db)
        {
            _db = null;
            await db.DisposeAsync();
        }
    }

    private async Task<Dictionary<LedgerWrite, Claim>> CommitAsync(WebhookDbContext db, IReadOnlyList<LedgerWrite> batch) =>
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            var now = _time.GetUtcNow().UtcDateTime;
            // SQLite: BEGIN IMMEDIATE, behind the process's write gate. Releases and confirms first, so a claim in the
            // same batch sees them.
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var release in batch.Where(w => w.Kind == WriteKind.Release))
            {
                await Row(db, release.BotId, release.UpdateId).Where(u => u.EnqueuedAt == null && u.ReceivedAt == release.ClaimedAt).ExecuteDeleteAsync();
            }
            var confirms = batch.Where(w => w.Kind == WriteKind.Confirm).ToList();
            if (confirms.Count > 0)
            {
                await ReceivedUpdateStatements.ConfirmAsync(db, confirms.Select(c => (c.BotId, c.UpdateId, c.ClaimedAt)), now);
                await ReceivedUpdateStatements.StampAsync(db, confirms.Select(c => c.CredentialId).Distinct(), now);
            }
            var decided = await ClaimAllAsync(db, batch.Where(w => w.Kind == WriteKind.Claim).ToList(), now);
            await transaction.CommitAsync();
            return decided;
        });

    private static async Task<Dictionary<LedgerWrite, Claim>> ClaimAllAsync(WebhookDbContext db, List<LedgerWrite> claims, DateTime now)
    {
        var results = new Dictionary<LedgerWrite, Claim>();
        if (claims.Count == 0)
        {
            return results;
        }
        // The common case in one statement: every free key is inserted and comes back. The rest exist already (a
        // redelivery, a concurrent delivery) and are read and decided one by one.
        var keys = claims.Select(c => (c.BotId, c.UpdateId)).Distinct().ToList();
        var inserted = await ReceivedUpdateStatements.ClaimAsync(db, keys, now);
        var existing = inserted.Count == keys.Count ? [] : await ExistingAsync(db, keys.Where(k => !inserted.Contains(k)).ToList());
        var first = new Dictionary<(Guid, long), Claim>();
        foreach (var claim in claims)
        {
            var key = (claim.BotId, claim.UpdateId);
            if (first.TryGetValue(key, out var earlier))
            {
                // The same update twice in one batch: the first decides, the others wait for it like any later delivery.
                results[claim] = earlier.State == ClaimState.Taken ? earlier with { State = ClaimState.InFlight } : earlier;
                continue;
            }
            results[claim] = first[key] = inserted.Contains(key) ? new Claim(ClaimState.Taken, now)
                : existing.TryGetValue(key, out var row) ? await DecideOnExistingAsync(db, row, now)
                // SQL Server only: the row that kept the key out was deleted meanwhile (released by another replica).
                : new Claim(ClaimState.InFlight, now);
        }
        return results;
    }

    private static async Task<Dictionary<(Guid, long), ReceivedUpdate>> ExistingAsync(WebhookDbContext db, List<(Guid BotId, long UpdateId)> keys)
    {
        var bots = keys.Select(k => k.BotId).Distinct().ToList();
        var updates = keys.Select(k => k.UpdateId).Distinct().ToList();
        return await db.ReceivedUpdates.AsNoTracking()
            .Where(u => bots.Contains(u.BotId) && updates.Contains(u.UpdateId))
            .ToDictionaryAsync(u => (u.BotId, u.UpdateId));
    }

    private static async Task<Claim> DecideOnExistingAsync(WebhookDbContext db, ReceivedUpdate row, DateTime now)
    {
        if (row.EnqueuedAt is not null)
        {
            return new Claim(ClaimState.Duplicate, row.ReceivedAt);
        }
        if (row.ReceivedAt > now - ClaimTimeout)
        {
            return new Claim(ClaimState.InFlight, row.ReceivedAt);
        }
        // A claim whose delivery died: taken over, on condition that nobody else took it meanwhile (another replica).
        var taken = await Row(db, row.BotId, row.UpdateId)
            .Where(u => u.EnqueuedAt == null && u.ReceivedAt == row.ReceivedAt)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.ReceivedAt, now));
        return new Claim(taken == 1 ? ClaimState.Taken : ClaimState.InFlight, now);
    }

    /// <summary>Deletes rows older than the de-duplication window; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = _time.GetUtcNow().UtcDateTime - _options.Value.DeduplicationWindow;
        await using var db = await _dbs.CreateDbContextAsync(cancellationToken);
        return await db.ReceivedUpdates.Where(u => u.ReceivedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Prunes at most once per interval per process, so the table stays small without a job of its own.</summary>
    internal async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var due = Interlocked.Read(ref _nextPruneTicks);
        if (now < due || Interlocked.CompareExchange(ref _nextPruneTicks, now + PruneInterval.Ticks, due) != due)
        {
            return;
        }
        await PruneAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer;
        await DropContextAsync();
    }

    private static IQueryable<ReceivedUpdate> Row(WebhookDbContext db, Guid botId, long updateId) =>
        db.ReceivedUpdates.Where(u => u.BotId == botId && u.UpdateId == updateId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} ledger writes failed; writing each alone")]
    private static partial void LogBatchRedone(ILogger logger, int count, Exception exception);

    private enum WriteKind
    {
        Claim,
        Confirm,
        Release,
    }

    /// <summary>One waiting write; <see cref="Done"/> completes when its batch committed (with the claim, for a claim).</summary>
    private sealed class LedgerWrite(WriteKind kind, Guid botId, long updateId, DateTime claimedAt, Guid credentialId)
    {
        public WriteKind Kind => kind;
        public Guid BotId => botId;
        public long UpdateId => updateId;
        public DateTime ClaimedAt => claimedAt;
        public Guid CredentialId => credentialId;
        public TaskCompletionSource<Claim> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
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
