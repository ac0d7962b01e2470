using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Credentials;
using WebhookFunctions.Domain.Receiving;
using WebhookFunctions.Domain.Webhooks;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Receiving;

// One writer per process commits waiting claims together, and writers in one process never meet SQLite's lock.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class ReceiverWriterTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly SendGate _gate = new();
    private readonly FirstTransactionGate _firstTransaction = new();
    private readonly SqliteBusyDetector _busy = new();
    private ReceiverHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await ReceiverHarness.StartAsync(azurite, configure: s => s
            .AddSingleton<Azure.Core.Pipeline.HttpPipelinePolicy>(_gate)
            .AddSingleton<IInterceptor>(_firstTransaction)
            .AddSingleton<IInterceptor>(_busy));

    public async Task DisposeAsync()
    {
        _gate.Release();
        _firstTransaction.Release();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Claims_waiting_while_the_writer_commits_are_committed_together_in_one_transaction()
    {
        _gate.Release();
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        _firstTransaction.Arm();
        var first = _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(30000));
        await _firstTransaction.Reached;
        var waiting = Enumerable.Range(1, 19).Select(i => _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(30000 + i))).ToList();
        var ledger = _harness.Domain.Services.GetRequiredService<ReceivedUpdateLedger>();
        await WaitUntilAsync(() => Task.FromResult(ledger.Waiting == 19));
        var commitsBefore = _firstTransaction.Commits;

        _firstTransaction.Release();
        var results = await Task.WhenAll(waiting.Prepend(first));

        Assert.All(results, r => Assert.Equal(ReceiveOutcome.Accepted, r.Outcome));
        Assert.Equal(20, (await _harness.MessagesAsync()).Length);
        Assert.All(await _harness.ReceivedRowsAsync(), r => Assert.NotNull(r.EnqueuedAt));
        // 20 updates need 40 writes (a claim and a confirm each): one at a time, 40 commits. Here the 19 waiting claims
        // share one commit, so at most 1 + 1 + 20 (if every confirm came alone).
        var commits = _firstTransaction.Commits - commitsBefore;
        Assert.True(commits <= 22, $"{commits} commits for 20 updates");
    }

    [Fact]
    public async Task Ten_concurrent_deliveries_of_one_update_enqueue_it_once_with_one_200_and_nine_503()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();

        var deliveries = Enumerable.Range(0, 10).Select(_ => _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(30100))).ToList();
        await _gate.Reached;
        // The one that claimed it is held at the queue; the other nine find its claim and answer at once.
        await WaitUntilAsync(() => Task.FromResult(deliveries.Count(d => d.IsCompleted) == 9));
        _gate.Release();
        var results = await Task.WhenAll(deliveries);

        Assert.Single(results, r => r.Outcome == ReceiveOutcome.Accepted);
        Assert.Equal(9, results.Count(r => r.Outcome == ReceiveOutcome.Unavailable));
        Assert.Single(await _harness.MessagesAsync());
        Assert.Equal(ReceiveOutcome.Duplicate, (await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(30100))).Outcome);
    }

    [Fact]
    public async Task Two_replicas_on_one_sqlite_file_enqueue_a_redelivered_update_once()
    {
        _gate.Release();
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        await using var replica = await _harness.Domain.StartReplicaAsync();
        var other = replica.Services.GetRequiredService<UpdateReceiver>();

        var here = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(30200));
        using var body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ReceiverHarness.Update(30200)));
        var there = await other.ReceiveAsync(new UpdateDelivery(botId.ToString(), secret, body, body.Length, System.Net.IPAddress.Loopback, null), default);

        Assert.Equal(ReceiveOutcome.Accepted, here.Outcome);
        Assert.Equal(ReceiveOutcome.Duplicate, there.Outcome);
        Assert.Single(await _harness.MessagesAsync());
    }

    [Fact]
    public async Task Receiver_load_beside_a_sweep_and_operator_calls_never_meets_sqlite_busy() => await LoadBesideASweepAsync(closeIdleConnections: false);

    [Fact]
    public async Task Receiver_load_beside_a_sweep_never_meets_sqlite_busy_while_the_pool_keeps_closing_idle_connections() =>
        // The pool's prune timer (or a ClearPool) closes idle connections; without the service's held connection the last
        // close checkpoints and deletes the WAL under an exclusive lock, and a statement prepared then meets SQLITE_BUSY.
        await LoadBesideASweepAsync(closeIdleConnections: true);

    private async Task LoadBesideASweepAsync(bool closeIdleConnections)
    {
        _gate.Release();
        using var stop = new CancellationTokenSource();
        var closer = closeIdleConnections ? CloseIdleConnectionsUntilAsync(stop.Token) : Task.CompletedTask;
        var bots = new List<(Guid BotId, string Secret)>();
        for (var i = 0; i < 8; i++)
        {
            bots.Add(await _harness.AddBotWithWebhookAsync());
        }
        var idle = await _harness.Domain.AddBotAsync();

        var deliveries = Enumerable.Range(0, 160).Select(i =>
        {
            var (botId, secret) = bots[i % bots.Count];
            return _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(31000 + i));
        }).ToList();
        var sweep = _harness.Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookChecker>().SweepAsync("test", default));
        var operatorCalls = Task.WhenAll(
            _harness.Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookService>().SetWebhookAsync(idle.BotId, null, default)),
            _harness.Domain.InScopeAsync(sp => sp.GetRequiredService<CredentialService>().ListAsync(bots[0].BotId, default)));

        var results = await Task.WhenAll(deliveries);
        await sweep;
        await operatorCalls;
        await stop.CancelAsync();
        await closer;

        Assert.All(results, r => Assert.Equal(ReceiveOutcome.Accepted, r.Outcome));
        Assert.Equal(160, (await _harness.ReceivedRowsAsync()).Count(r => r.EnqueuedAt is not null));
        Assert.Equal(0, _busy.BusyCount);
    }

    [Fact]
    public async Task Busy_detector_sees_a_writer_that_meets_another_connections_write_lock()
    {
        // The control: without the gate (a raw connection holds the lock), the detector's setting turns the wait into an error.
        var (botId, secret) = (await _harness.AddBotWithWebhookAsync());
        await using var holder = await HoldWriteLockAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(31999)));

        Assert.True(SqliteBusyDetector.IsBusy(error), error.ToString());
    }

    [Fact]
    public async Task A_begin_that_failed_does_not_keep_the_write_gate()
    {
        // BEGIN fails (another process holds the lock): EF raises no transaction event and disposes the connection with
        // the context. The gate must still be let go, or every later write in the process waits forever.
        _gate.Release();
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        await using (await HoldWriteLockAsync())
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(31998)));
            Assert.True(SqliteBusyDetector.IsBusy(error), error.ToString());
        }

        // A hang here is the failure; the bound only turns it into a message.
        var next = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(31997)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ReceiveOutcome.Accepted, next.Outcome);
    }

    /// <summary>A raw connection outside the gate (as another process would be) holding the file's write lock until disposed.</summary>
    private async Task<SqliteConnection> HoldWriteLockAsync()
    {
        await using var db = _harness.Domain.NewDb();
        // Unpooled: closing it closes the file handle, which rolls the raw BEGIN back (a pooled one would go back to the
        // pool still inside the transaction, holding the lock).
        var holder = new SqliteConnection(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ToString());
        await holder.OpenAsync();
        await using var write = holder.CreateCommand();
        write.CommandText = "BEGIN IMMEDIATE";
        await write.ExecuteNonQueryAsync();
        return holder;
    }

    private async Task CloseIdleConnectionsUntilAsync(CancellationToken stop)
    {
        await using var db = _harness.Domain.NewDb();
        using var file = new SqliteConnection(db.Database.GetConnectionString());
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            SqliteConnection.ClearPool(file);
            await Task.Delay(1, CancellationToken.None);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    /// <summary>Holds the first transaction begun after <see cref="Arm"/> until released, and counts commits.</summary>
    private sealed class FirstTransactionGate : DbTransactionInterceptor
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;
        private long _commits;

        public Task Reached => _reached.Task;
        public long Commits => Interlocked.Read(ref _commits);

        public void Arm() => Interlocked.Exchange(ref _armed, 1);

        public void Release() => _released.TrySetResult();

        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _reached.TrySetResult();
                await _released.Task;
            }
            return result;
        }

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _commits);
            return Task.CompletedTask;
        }
    }
}
