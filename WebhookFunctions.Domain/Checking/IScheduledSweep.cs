namespace WebhookFunctions.Domain.Checking;

/// <summary>
/// The sweep a schedule starts: in one instance or split into shards (Sharding's decision, so the scheduler here
/// needs no arrow to it). The composition registers Sharding's ShardedSweep as this.
/// </summary>
internal interface IScheduledSweep
{
    Task<SweepReport> RunScheduledAsync(string trigger, CancellationToken cancellationToken);
}
