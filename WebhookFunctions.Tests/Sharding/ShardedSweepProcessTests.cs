using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Sharding;
using WebhookFunctions.Tests.Receiving;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Sharding;

// Issue 13 item 3: four self-host processes share one SQLite file and one Azurite and consume one run's shards; the
// Bot API stand-in answers after 50 ms and counts each token's getWebhookInfo calls. (The 40,000-bot run and its
// timing against one process are the benchmark's --shards mode: docs/scale.md.)
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class ShardedSweepProcessTests(AzuriteFixture azurite)
{
    private const int Bots = 2_000;
    private const int Processes = 4;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Four_processes_check_every_bot_exactly_once_and_the_run_sums_every_shard()
    {
        var queueName = "proc-shards-" + Guid.NewGuid().ToString("N")[..12];
        await using var dispatcher = await DomainHarness.StartAsync(new()
        {
            ["UpdateQueue:ConnectionString"] = azurite.ConnectionString,
            ["Sharding:QueueName"] = queueName,
            ["Sharding:Mode"] = "On",
        });
        // The processes run on the system clock: so does the run's deadline.
        dispatcher.Time.SetUtcNow(DateTimeOffset.UtcNow);
        IReadOnlyList<string> tokens;
        await using (var db = dispatcher.NewDb())
        {
            tokens = await FleetSeeder.SeedHealthyAsync(db, dispatcher.BotApi, Bots, DomainHarness.Domain, dispatcher.Time.GetUtcNow().UtcDateTime);
        }
        dispatcher.BotApi.Latency = TimeSpan.FromMilliseconds(50);
        await using var replicas = await ReplicasAsync(dispatcher, queueName);

        var dispatched = await dispatcher.InScopeAsync(sp => sp.GetRequiredService<ShardedSweep>().RunScheduledAsync("schedule", default));
        var run = await WaitForRunAsync(dispatcher, replicas);

        Assert.Equal(SweepStatus.Dispatched, dispatched.Status);
        var calls = FleetSeeder.InfoCallsByToken(dispatcher.BotApi);
        Assert.Equal(Bots, calls.Count);
        Assert.All(tokens, t => Assert.Equal(1, calls.GetValueOrDefault(t)));
        Assert.Equal((SweepStatus.Completed, Bots, Bots / 200, 0, 0), (run.Status, run.Checked, run.Shards, run.ShardsPoisoned, run.LeftForNextSweep));
        Assert.Contains($"\"healthy\":{Bots}", run.Counts);
        await using var check = dispatcher.NewDb();
        var holders = await check.Set<SweepShard>().Where(s => s.RunId == run.RunId).Select(s => s.Holder).ToListAsync();
        Assert.All(await check.Set<SweepShard>().Where(s => s.RunId == run.RunId).Select(s => s.Status).ToListAsync(), s => Assert.Equal(ShardStatus.Done, s));
        // Holders are machine/process/claim: more than one process took shards.
        Assert.True(holders.Select(h => h!.Split('/')[1]).Distinct().Count() > 1, "Only one process took shards.");
    }

    private async Task<Replicas> ReplicasAsync(DomainHarness dispatcher, string queueName)
    {
        var folder = Path.Combine(Path.GetTempPath(), "webhookfunctions-tests", "replicas-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>
        {
            ["Database:SqlitePath"] = dispatcher.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Database:SqlitePath"],
            ["Telegram:ApiBaseUrl"] = dispatcher.BotApi.BaseUrl,
            ["Telegram:Timeout"] = "00:00:10",
            ["Webhook:Mode"] = "Domain",
            ["Webhook:Domain"] = DomainHarness.Domain,
            ["Auth:ApiKeys:0"] = SelfHostServer.ApiKey,
            ["UpdateQueue:ConnectionString"] = azurite.ConnectionString,
            ["Sharding:QueueName"] = queueName,
            ["Sharding:Mode"] = "On",
            ["Sharding:PollInterval"] = "00:00:00.200",
            ["Checker:ScheduleEnabled"] = "false",
        };
        var started = await SelfHostProcess.StartManyAsync(Processes, settings, folder);
        return new Replicas(started, folder);
    }

    private static async Task<SweepRun> WaitForRunAsync(DomainHarness dispatcher, Replicas replicas)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await using (var db = dispatcher.NewDb())
            {
                var run = await db.Set<SweepRun>().AsNoTracking().SingleAsync(r => r.RunId != null);
                if (run.Status is not (SweepStatus.Running or SweepStatus.Completing))
                {
                    return run;
                }
            }
            if (waited.Elapsed > RunTimeout)
            {
                throw new TimeoutException($"The run did not finish within {RunTimeout}. Replica output:\n{replicas.Output()}");
            }
            // Polling the outcome, not waiting for a race: the run finishes when the processes have checked every shard.
            await Task.Delay(250);
        }
    }

    private sealed class Replicas(SelfHostProcess[] processes, string folder) : IAsyncDisposable
    {
        public string Output() => string.Join("\n---\n", processes.Select(p => p.Output()));

        public async ValueTask DisposeAsync()
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
