using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Sharding;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Receiving;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Functions;

// Issue 13 item 3: the QueueTrigger that checks a sweep shard, in its metadata and invoked in process.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class SweepShardFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public void The_queue_trigger_is_bound_to_the_shard_queue_setting()
    {
        var trigger = Assert.Single(FunctionsAppOutput.FunctionsMetadata().SelectMany(f => f!["bindings"]!.AsArray()), b => (string?)b!["type"] == "queueTrigger")!;

        Assert.Equal("%SWEEP_SHARD_QUEUE%", (string?)trigger["queueName"]);
    }

    [Fact]
    public void The_host_delivers_a_failing_shard_more_often_than_the_library_retries_it_so_the_library_reports_it()
    {
        var maxDequeueCount = (int?)FunctionsAppOutput.Read("host.json")["extensions"]?["queues"]?["maxDequeueCount"] ?? 5;

        Assert.True(maxDequeueCount > new ShardingOptions().MaxDeliveries, $"host.json queues.maxDequeueCount {maxDequeueCount} must exceed Sharding:MaxDeliveries.");
    }

    [Fact]
    public async Task The_function_checks_the_shard_it_is_handed_and_a_second_delivery_checks_nothing()
    {
        var queueName = "fn-shards-" + Guid.NewGuid().ToString("N")[..12];
        await using var botApi = await BotApiStandIn.StartAsync();
        await using var selfHost = await SelfHostServer.StartAsync(botApi, new()
        {
            ["UpdateQueue:ConnectionString"] = azurite.ConnectionString,
            ["Sharding:Mode"] = "On",
            ["SWEEP_SHARD_QUEUE"] = queueName,
        });
        await using var functions = FunctionsApp.Compose(selfHost.Settings);
        IReadOnlyList<string> tokens;
        await using (var db = selfHost.NewDb())
        {
            tokens = await FleetSeeder.SeedHealthyAsync(db, botApi, 5, SelfHostServer.Domain, DateTime.UtcNow);
        }
        await functions.InvokeTimerAsync("CheckWebhooksOnSchedule");
        var message = Assert.Single((await azurite.Queue(queueName).ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value);

        await functions.InvokeQueueAsync(SweepShardFunction.Name, message);
        await functions.InvokeQueueAsync(SweepShardFunction.Name, message);

        Assert.All(tokens, t => Assert.Equal(1, FleetSeeder.InfoCallsByToken(botApi)[t]));
        await using var check = selfHost.NewDb();
        var run = await check.Set<SweepRun>().AsNoTracking().SingleAsync(r => r.RunId != null);
        Assert.Equal((SweepStatus.Completed, 5, 1), (run.Status, run.Checked, run.Shards));
    }
}
