using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using WebhookFunctions.Domain.Sharding;

namespace WebhookFunctions;

/// <summary>
/// Checks one shard of a sharded sweep. Functions scales instances out by the queue's length; host.json's
/// queues.maxDequeueCount stays above Sharding:MaxDeliveries, so the library sees a poisoned shard and reports it.
/// </summary>
public sealed class SweepShardFunction(SweepTriggers sweeps)
{
    public const string Name = "CheckSweepShard";

    [Function(Name)]
    public Task Check([QueueTrigger("%" + SweepTriggers.ShardQueueSetting + "%")] QueueMessage message, CancellationToken ct) =>
        sweeps.CheckShardAsync(message.Body, message.DequeueCount, ct);
}
