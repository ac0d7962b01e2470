namespace WebhookFunctions.Domain.Persistence;

/// <summary>The status of a sweep (and of a sharded run), stored in sweep_run.status and reported, as its snake_case name.</summary>
public enum SweepStatus
{
    Completed,

    /// <summary>Stopped starting bots when the time budget ran out; the report's left_for_next_sweep says how many wait.</summary>
    BudgetExhausted,

    /// <summary>Another sweep holds the lease; nothing was checked (the API answers 409).</summary>
    AlreadyRunning,

    /// <summary>The public webhook URL could not be resolved (e.g. no ngrok tunnel); nothing was checked.</summary>
    UrlUnavailable,

    /// <summary>The sweep threw (e.g. the database failed). No report is returned; only the metrics and the span say so.</summary>
    Failed,

    /// <summary>The lease passed to another sweep (or could not be renewed in time): no further bots were started.</summary>
    LeaseLost,

    /// <summary>Sharded: the run's shards are on the queue; the report of the dispatching call (its row says <see cref="Running"/>).</summary>
    Dispatched,

    /// <summary>Sharded: shards are still being checked.</summary>
    Running,

    /// <summary>Sharded: the last shard finished and one instance is summing the shards (a moment).</summary>
    Completing,

    /// <summary>Sharded: every shard finished, and at least one failed Sharding:MaxDeliveries times and was not checked.</summary>
    ShardsPoisoned,
}
