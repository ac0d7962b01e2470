using System.ComponentModel.DataAnnotations;
using Azure.Storage.Queues;

namespace WebhookFunctions.Domain.Sharding;

/// <summary>Whether scheduled sweeps run in one instance or are split into shards over a queue.</summary>
internal enum SweepSharding
{
    /// <summary>Sharded when the due fleet exceeds what one instance checks within Checker:TimeBudget (see <see cref="ShardingDecision"/>).</summary>
    Auto,
    Off,
    On,
}

/// <summary>The sharded sweep: when it is used, and the Azure Storage queue its shards travel on. Section "Sharding".</summary>
internal sealed class ShardingOptions
{
    public const string Section = "Sharding";

    /// <summary>The app setting the Functions QueueTrigger reads as %SWEEP_SHARD_QUEUE%; the library honours the same.</summary>
    public const string QueueNameAlias = "SWEEP_SHARD_QUEUE";
    public const string DefaultQueueName = "webhook-sweep-shards";

    public SweepSharding Mode { get; set; } = SweepSharding.Auto;

    /// <summary>Auto: shard above this many due bots. Unset: the capacity of one instance, from the last sweep's pace.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Sharding:AutoAboveBots must be 1 or more.")]
    public int? AutoAboveBots { get; set; }

    /// <summary>Auto, before any sweep of 4 × Checker:MaxConcurrency bots was measured: the time one check takes (calls and write).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ErrorMessage = "Sharding:AssumedCheckTime must be between {1} and {2}.")]
    public TimeSpan AssumedCheckTime { get; set; } = TimeSpan.FromMilliseconds(200);

    [Required(ErrorMessage = "Sharding:QueueName (or SWEEP_SHARD_QUEUE) is required.")]
    public string QueueName { get; set; } = DefaultQueueName;

    /// <summary>A storage connection string; unset with <see cref="ServiceUri"/>: the update queue's storage.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>https://&lt;account&gt;.queue.core.windows.net, reached with the app's Azure.Identity credential.</summary>
    public string? ServiceUri { get; set; }

    /// <summary>Create the queue when it is missing. Default: on with a connection string, off with a service URI.</summary>
    public bool? CreateIfNotExists { get; set; }

    /// <summary>A shard delivered more often than this (it failed each time) is not checked again: it is reported poisoned.</summary>
    [Range(1, 100, ErrorMessage = "Sharding:MaxDeliveries must be between {1} and {2}.")]
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>How long a taken shard message stays hidden; the self-host's consumer renews it every third while it checks.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00", ErrorMessage = "Sharding:VisibilityTimeout must be between {1} and {2}.")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether the self-host consumes shards (the Functions app has its QueueTrigger). Off: this replica only dispatches.</summary>
    public bool ConsumerEnabled { get; set; } = true;

    /// <summary>The self-host consumer's wait after finding the queue empty.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "Sharding:PollInterval must be between {1} and {2}.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Shards a consumer checks at once (each with Checker:MaxConcurrency checks).</summary>
    [Range(1, 16, ErrorMessage = "Sharding:ConsumerShards must be between {1} and {2}.")]
    public int ConsumerShards { get; set; } = 1;


    /// <summary>Base64, what the Functions QueueTrigger decodes by default.</summary>
    internal const QueueMessageEncoding Encoding = QueueMessageEncoding.Base64;
}
