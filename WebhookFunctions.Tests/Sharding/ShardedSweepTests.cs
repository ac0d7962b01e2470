using Azure.Storage.Queues.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Sharding;
using WebhookFunctions.Tests.Receiving;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Sharding;

// Issue 13 item 3: the sharded sweep in one process: real SQLite, real Azurite, the stand-in over HTTP.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class ShardedSweepTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _queueName = "shards-" + Guid.NewGuid().ToString("N")[..16];
    private DomainHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DomainHarness.StartAsync(new()
    {
        ["UpdateQueue:ConnectionString"] = azurite.ConnectionString,
        ["Sharding:QueueName"] = _queueName,
        ["Sharding:Mode"] = "On",
        ["Sharding:MaxDeliveries"] = "2",
        ["Checker:BatchSize"] = "10",
    });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Every_bot_is_checked_once_and_the_run_sums_its_shards()
    {
        var tokens = await SeedAsync(25);

        var dispatched = await DispatchAsync();
        foreach (var message in await ReceiveAllAsync())
        {
            Assert.Equal(ShardDisposition.Finished, await HandleAsync(message));
        }

        Assert.Equal(SweepStatus.Dispatched, dispatched.Status);
        Assert.All(tokens, t => Assert.Equal(1, FleetSeeder.InfoCallsByToken(_harness.BotApi).GetValueOrDefault(t)));
        var run = await LastRunAsync();
        Assert.Equal((SweepStatus.Completed, 25, 3, 0), (run.Status, run.Checked, run.Shards, run.LeftForNextSweep));
        Assert.Contains("\"healthy\":25", run.Counts);
    }

    [Fact]
    public async Task A_shard_delivered_again_after_its_outcomes_were_recorded_checks_nothing()
    {
        var tokens = await SeedAsync(10);
        await DispatchAsync();
        var message = Assert.Single(await ReceiveAllAsync());
        await HandleAsync(message);

        // The same message once more, as when the consumer died between recording and deleting it.
        await Queue().SendMessageAsync(message.Body);
        var again = Assert.Single(await ReceiveAllAsync());
        var disposition = await HandleAsync(again);

        Assert.Equal(ShardDisposition.Finished, disposition);
        Assert.All(tokens, t => Assert.Equal(1, FleetSeeder.InfoCallsByToken(_harness.BotApi)[t]));
        Assert.Contains(_harness.Logs.Lines, l => l.Contains("delivered again after it finished", StringComparison.Ordinal));
        Assert.Equal(10, (await LastRunAsync()).Checked);
    }

    [Fact]
    public async Task A_shard_whose_outcomes_the_database_refuses_is_released_and_finishes_on_the_next_delivery()
    {
        var tokens = await SeedAsync(10);
        await DispatchAsync();
        // A real failure inside the shard: SQLite itself refuses every write of a check outcome.
        await ExecuteSqlAsync("CREATE TRIGGER refuse_outcomes BEFORE UPDATE ON bot_platform_credential BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
        var first = Assert.Single(await ReceiveAllAsync());

        Assert.Equal(ShardDisposition.Retry, await HandleAsync(first));
        var released = await ShardAsync();
        Assert.Equal((ShardStatus.Pending, 1, "SqliteException"), (released.Status, released.Attempts, released.LastError));

        await ExecuteSqlAsync("DROP TRIGGER refuse_outcomes;");
        await Queue().UpdateMessageAsync(first.MessageId, first.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        var second = Assert.Single(await ReceiveAllAsync());
        Assert.Equal((2, ShardDisposition.Finished), (second.DequeueCount, await HandleAsync(second)));

        // Nothing was recorded by the failed delivery, so every bot was checked again; the run counts each once.
        Assert.All(tokens, t => Assert.Equal(2, FleetSeeder.InfoCallsByToken(_harness.BotApi)[t]));
        var run = await LastRunAsync();
        Assert.Equal((SweepStatus.Completed, 10, 0), (run.Status, run.Checked, run.ShardsPoisoned));
        Assert.Equal(ShardStatus.Done, (await ShardAsync()).Status);
    }

    [Fact]
    public async Task A_shard_that_failed_on_every_delivery_is_reported_poisoned_and_not_lost()
    {
        await SeedAsync(10);
        await DispatchAsync();
        // Two deliveries that failed (Sharding:MaxDeliveries = 2): taken, then put back visible, as a host does after a throw.
        for (var delivery = 0; delivery < 2; delivery++)
        {
            var taken = Assert.Single(await ReceiveAllAsync());
            await Queue().UpdateMessageAsync(taken.MessageId, taken.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }
        var third = Assert.Single(await ReceiveAllAsync());

        var disposition = await HandleAsync(third);

        Assert.Equal((3, ShardDisposition.Finished), (third.DequeueCount, disposition));
        Assert.Empty(_harness.BotApi.CallsOf("getWebhookInfo"));
        var run = await LastRunAsync();
        Assert.Equal((SweepStatus.ShardsPoisoned, 1, 10, 0), (run.Status, run.ShardsPoisoned, run.LeftForNextSweep, run.Checked));
        Assert.Contains("poisoned", run.Detail);
        Assert.Contains(_harness.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("is poisoned", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auto_keeps_a_small_fleet_in_one_instance()
    {
        await using var harness = await DomainHarness.StartAsync(new()
        {
            ["UpdateQueue:ConnectionString"] = azurite.ConnectionString,
            ["Sharding:QueueName"] = _queueName,
        });
        await using (var db = harness.NewDb())
        {
            await FleetSeeder.SeedHealthyAsync(db, harness.BotApi, 5, DomainHarness.Domain, harness.Time.GetUtcNow().UtcDateTime);
        }

        var report = await harness.InScopeAsync(sp => sp.GetRequiredService<ShardedSweep>().RunScheduledAsync("schedule", default));

        Assert.Equal((SweepStatus.Completed, 5), (report.Status, report.Checked));
        Assert.Empty(await azurite.PeekAllAsync(_queueName));
    }

    [Fact]
    public async Task Auto_shards_a_fleet_above_the_threshold()
    {
        await using var harness = await DomainHarness.StartAsync(new()
        {
            ["UpdateQueue:ConnectionString"] = azurite.ConnectionString,
            ["Sharding:QueueName"] = _queueName,
            ["Sharding:AutoAboveBots"] = "4",
            ["Checker:BatchSize"] = "2",
        });
        await using (var db = harness.NewDb())
        {
            await FleetSeeder.SeedHealthyAsync(db, harness.BotApi, 5, DomainHarness.Domain, harness.Time.GetUtcNow().UtcDateTime);
        }

        var report = await harness.InScopeAsync(sp => sp.GetRequiredService<ShardedSweep>().RunScheduledAsync("schedule", default));

        Assert.Equal(SweepStatus.Dispatched, report.Status);
        Assert.Equal(3, (await azurite.PeekAllAsync(_queueName)).Length);
        Assert.Empty(harness.BotApi.CallsOf("getWebhookInfo"));
    }

    [Fact]
    public async Task A_sweep_started_while_a_sharded_run_is_unfinished_does_not_run()
    {
        await SeedAsync(10);
        await DispatchAsync();

        var manual = await _harness.InScopeAsync(sp => sp.GetRequiredService<WebhookChecker>().SweepAsync("manual", default));

        Assert.Equal(SweepStatus.AlreadyRunning, manual.Status);
        Assert.Empty(_harness.BotApi.CallsOf("getWebhookInfo"));
    }

    private async Task<IReadOnlyList<string>> SeedAsync(int bots)
    {
        await using var db = _harness.NewDb();
        return await FleetSeeder.SeedHealthyAsync(db, _harness.BotApi, bots, DomainHarness.Domain, _harness.Time.GetUtcNow().UtcDateTime);
    }

    private Task<SweepReport> DispatchAsync() =>
        _harness.InScopeAsync(sp => sp.GetRequiredService<ShardedSweep>().RunScheduledAsync("schedule", default));

    private Task<ShardDisposition> HandleAsync(QueueMessage message) =>
        _harness.InScopeAsync(sp => sp.GetRequiredService<ShardRunner>().HandleAsync(message.Body, message.DequeueCount, default));

    private Azure.Storage.Queues.QueueClient Queue() => azurite.Queue(_queueName);

    private async Task<QueueMessage[]> ReceiveAllAsync() => (await Queue().ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value;

    private async Task ExecuteSqlAsync(string sql)
    {
        await using var db = _harness.NewDb();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    private async Task<SweepShard> ShardAsync()
    {
        await using var db = _harness.NewDb();
        return await db.Set<SweepShard>().AsNoTracking().SingleAsync();
    }

    private async Task<SweepRun> LastRunAsync()
    {
        await using var db = _harness.NewDb();
        return await db.Set<SweepRun>().AsNoTracking().OrderByDescending(r => r.Id).FirstAsync();
    }
}
