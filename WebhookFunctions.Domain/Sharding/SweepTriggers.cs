using WebhookFunctions.Domain.Checking;

namespace WebhookFunctions.Domain.Sharding;

/// <summary>What the Functions app's checker triggers call: the scheduled sweep (its timer) and one shard (its queue).</summary>
public sealed class SweepTriggers
{
    /// <summary>The app setting that names the shard queue, for the QueueTrigger's %...% binding.</summary>
    public const string ShardQueueSetting = ShardingOptions.QueueNameAlias;

    private readonly ShardedSweep _sweep;
    private readonly ShardRunner _runner;

    // Internal because its collaborators are: AddWebhookManagement registers how to build it.
    internal SweepTriggers(ShardedSweep sweep, ShardRunner runner) => (_sweep, _runner) = (sweep, runner);

    /// <summary>The scheduled sweep, in this instance or split into shards as Sharding:Mode says.</summary>
    public Task<SweepReport> RunScheduledAsync(CancellationToken cancellationToken) =>
        _sweep.RunScheduledAsync(CheckerScheduler.Trigger, cancellationToken);

    /// <summary>Checks one shard message; throws when the queue is to deliver it again.</summary>
    public Task CheckShardAsync(BinaryData body, long deliveryCount, CancellationToken cancellationToken) =>
        _runner.CheckOrRetryAsync(body, deliveryCount, cancellationToken);
}
