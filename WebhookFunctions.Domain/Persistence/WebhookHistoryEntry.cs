namespace WebhookFunctions.Domain.Persistence;

/// <summary>One thing that happened to a bot's credential or webhook. Append-only; never holds a token or secret.</summary>
internal sealed class WebhookHistoryEntry
{
    /// <summary>Increasing with every entry: the paging cursor (newest first, <c>before</c> an id).</summary>
    public long Id { get; set; }
    public Guid BotId { get; set; }
    public DateTime At { get; set; }

    public HistoryKind Kind { get; set; }

    /// <summary>Who did it.</summary>
    public HistoryActor Actor { get; set; }

    /// <summary>The checker's refresh reason or failure class, or the Bot API method that failed.</summary>
    public string? Reason { get; set; }
    public BotState? FromState { get; set; }
    public BotState? ToState { get; set; }

    /// <summary>The webhook URL set (this service's own URL, which holds no secret).</summary>
    public string? Url { get; set; }

    /// <summary>Telegram's last_error_date of a delivery error: each one is recorded once per bot.</summary>
    public DateTime? TelegramErrorAt { get; set; }

    /// <summary>Telegram's error message, or what went wrong, clipped.</summary>
    public string? Message { get; set; }
}

/// <summary>What a history entry records, stored and shown as its snake_case name.</summary>
public enum HistoryKind
{
    Registered,
    TokenReplaced,
    Deactivated,
    WebhookSet,
    WebhookDeleted,
    StateChanged,
    DeliveryError,
}

/// <summary>Who made a change: an operator through the API, the checker's sweep, or Telegram; stored and shown as its snake_case name.</summary>
public enum HistoryActor
{
    Api,
    Checker,
    Telegram,
}

/// <summary>One sweep as it finished: what the dashboard shows as "the last sweep". Pruned like the bots' history.</summary>
internal sealed class SweepRun
{
    public long Id { get; set; }
    public DateTime StartedAt { get; set; }
    public long DurationMs { get; set; }
    public string Trigger { get; set; } = "";
    public SweepStatus Status { get; set; }
    public int Checked { get; set; }
    public int LeftForNextSweep { get; set; }

    /// <summary>The report's counts by outcome (and superseded) as a JSON object, so a new outcome needs no migration.</summary>
    public string Counts { get; set; } = "{}";
    public string? Detail { get; set; }

    /// <summary>A sharded run's id (its shards are in sweep_shard); null for a sweep that ran in one instance.</summary>
    public Guid? RunId { get; set; }

    /// <summary>How many shards the run was split into (0: one instance), and how many failed past the retry bound.</summary>
    public int Shards { get; set; }
    public int ShardsPoisoned { get; set; }
}
