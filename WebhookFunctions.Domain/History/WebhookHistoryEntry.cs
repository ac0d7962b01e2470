namespace WebhookFunctions.Domain.History;

/// <summary>One thing that happened to a bot's credential or webhook. Append-only; never holds a token or secret.</summary>
internal sealed class WebhookHistoryEntry
{
    /// <summary>Increasing with every entry: the paging cursor (newest first, <c>before</c> an id).</summary>
    public long Id { get; set; }
    public Guid BotId { get; set; }
    public DateTime At { get; set; }

    /// <summary>One of <see cref="HistoryKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Who did it: one of <see cref="HistoryActors"/>.</summary>
    public string Actor { get; set; } = "";

    /// <summary>The checker's refresh reason or failure class, or the Bot API method that failed.</summary>
    public string? Reason { get; set; }
    public string? FromState { get; set; }
    public string? ToState { get; set; }

    /// <summary>The webhook URL set (this service's own URL, which holds no secret).</summary>
    public string? Url { get; set; }

    /// <summary>Telegram's last_error_date of a delivery error: each one is recorded once per bot.</summary>
    public DateTime? TelegramErrorAt { get; set; }

    /// <summary>Telegram's error message, or what went wrong, clipped.</summary>
    public string? Message { get; set; }
}

/// <summary>Stable snake_case kinds of history entries.</summary>
internal static class HistoryKinds
{
    public const string Registered = "registered";
    public const string TokenReplaced = "token_replaced";
    public const string Deactivated = "deactivated";
    public const string WebhookSet = "webhook_set";
    public const string WebhookDeleted = "webhook_deleted";
    public const string StateChanged = "state_changed";
    public const string DeliveryError = "delivery_error";
}

/// <summary>Who made a change: an operator through the API, or the checker's sweep.</summary>
internal static class HistoryActors
{
    public const string Api = "api";
    public const string Checker = "checker";
    public const string Telegram = "telegram";
}

/// <summary>One sweep as it finished: what the dashboard shows as "the last sweep". Pruned like the bots' history.</summary>
internal sealed class SweepRun
{
    public long Id { get; set; }
    public DateTime StartedAt { get; set; }
    public long DurationMs { get; set; }
    public string Trigger { get; set; } = "";
    public string Status { get; set; } = "";
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
