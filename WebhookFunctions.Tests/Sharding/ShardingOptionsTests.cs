using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Receiving;
using WebhookFunctions.Domain.Sharding;
using WebhookFunctions.Domain.Urls;

namespace WebhookFunctions.Tests.Sharding;

// Issue 13 item 3: the sharding settings: defaults, the update queue's storage as the fallback, errors naming the setting.
public sealed class ShardingOptionsTests
{
    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Webhook:Mode", "Domain");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(WebhookEnvironment.Detect(configuration))
            .AddLogging()
            .AddSingleton<Azure.Core.TokenCredential>(new Azure.Identity.DefaultAzureCredential())
            .AddUpdateReceiver()
            .AddSweepSharding()
            .BuildServiceProvider();
    }

    [Fact]
    public void Defaults_are_the_documented_ones_and_the_queue_follows_the_update_queues_storage()
    {
        using var services = Compose(new() { ["UpdateQueue:ConnectionString"] = "UseDevelopmentStorage=true" });

        var options = services.GetRequiredService<IOptions<ShardingOptions>>().Value;

        Assert.Equal((SweepSharding.Auto, "webhook-sweep-shards", 5, TimeSpan.FromMinutes(1)), (options.Mode, options.QueueName, options.MaxDeliveries, options.VisibilityTimeout));
        Assert.Null(options.AutoAboveBots);
        // Azurite's development account, as UpdateQueue:ConnectionString says.
        Assert.Equal("http://127.0.0.1:10001/devstoreaccount1/webhook-sweep-shards", services.GetRequiredService<ShardQueue>().Uri.ToString());
    }

    [Fact]
    public void The_functions_queue_name_setting_names_the_queue()
    {
        using var services = Compose(new() { ["UpdateQueue:ConnectionString"] = "UseDevelopmentStorage=true", ["SWEEP_SHARD_QUEUE"] = "fleet-shards" });

        Assert.Equal("fleet-shards", services.GetRequiredService<IOptions<ShardingOptions>>().Value.QueueName);
    }

    [Theory]
    [InlineData("Sharding:QueueName", "Shards_Queue", "Sharding:QueueName")]
    [InlineData("SWEEP_SHARD_QUEUE", "a", "Sharding:QueueName (or SWEEP_SHARD_QUEUE)")]
    [InlineData("Sharding:Mode", "Sometimes", "Sharding:Mode")]
    [InlineData("Sharding:MaxDeliveries", "0", "Sharding:MaxDeliveries")]
    [InlineData("Sharding:AutoAboveBots", "0", "Sharding:AutoAboveBots")]
    [InlineData("Sharding:VisibilityTimeout", "00:00:01", "Sharding:VisibilityTimeout")]
    [InlineData("Sharding:ConnectionString", "not a connection string", "Sharding:ConnectionString")]
    [InlineData("Sharding:ServiceUri", "http://account.queue.core.windows.net", "Sharding:ServiceUri")]
    public async Task Bad_setting_stops_start_up_naming_the_setting(string key, string value, string named)
    {
        await using var services = Compose(new() { ["UpdateQueue:ConnectionString"] = "UseDevelopmentStorage=true", [key] = value });

        var error = Record.Exception(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.NotNull(error);
        Assert.Contains(named, error.Message);
    }

    [Theory]
    // 32 checks at a time for 240 s at 200 ms a check: 38,400 a period; 80% of it.
    [InlineData(null, 32, 200, 30_720)]
    [InlineData(null, 64, 50, 245_760)]
    [InlineData(1_000, 32, 200, 1_000)]
    public void Auto_threshold_is_eighty_percent_of_one_instances_capacity_unless_set(int? aboveBots, int concurrency, int checkMs, int expected) =>
        Assert.Equal(expected, ShardingDecision.Threshold(aboveBots, concurrency, TimeSpan.FromMinutes(4), TimeSpan.FromMilliseconds(checkMs)));

    [Theory]
    [InlineData(SweepSharding.Auto, 100, 99, true)]
    [InlineData(SweepSharding.Auto, 99, 99, false)]
    [InlineData(SweepSharding.Off, 1_000_000, 99, false)]
    [InlineData(SweepSharding.On, 0, 99, true)]
    public void Mode_and_due_bots_decide(Enum mode, int due, int threshold, bool sharded) =>
        Assert.Equal(sharded, ShardingDecision.ShouldShard((SweepSharding)mode, due, threshold));

    [Fact]
    public void The_observed_check_time_spreads_a_sweeps_duration_over_its_checks() =>
        // 10,000 bots in 18.25 s, 32 at a time: 58.4 ms a check.
        Assert.Equal(58.4, ShardingDecision.ObservedCheckTime(18_250, 10_000, 32).TotalMilliseconds, 1);
}
