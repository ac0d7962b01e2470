namespace WebhookFunctions.Domain.Persistence;

/// <summary>One bot's credential for one messaging platform, with the state of its webhook.</summary>
internal sealed class BotPlatformCredential
{
    public Guid Id { get; set; }
    public Guid BotId { get; set; }
    public string Platform { get; set; } = Platforms.Telegram;

    /// <summary>Platform credentials as JSON; for Telegram the bot token is under "token".</summary>
    public string Credentials { get; set; } = "{}";

    /// <summary>
    /// The Telegram bot the token belongs to (the digits before the colon), unique among active credentials. Null for a
    /// credential stored before the column whose Telegram bot another active credential already held (reported, see docs).
    /// </summary>
    public string? TelegramBotId { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    // The seed's webhook columns.
    public string? WebhookUrl { get; set; }
    public DateTime? WebhookLastChecked { get; set; }
    public bool WebhookAutoRefresh { get; set; } = true;

    /// <summary>What the operator asked for: set enables, delete disables. The checker never overrides it.</summary>
    public bool WebhookEnabled { get; set; }

    // The configuration last applied with setWebhook, re-applied as-is by a repair.
    public string? WebhookSecret { get; set; }
    public int? WebhookMaxConnections { get; set; }

    /// <summary>null means "omitted" (Telegram keeps its previous setting); empty means "all default types".</summary>
    public List<string>? WebhookAllowedUpdates { get; set; }
    public DateTime? WebhookLastSetAt { get; set; }

    // What the last check found.
    public CheckOutcome? LastCheckOutcome { get; set; }
    public string? LastCheckReason { get; set; }
    public string? LastError { get; set; }
    public int ConsecutiveFailures { get; set; }
    public int? LastPendingUpdateCount { get; set; }

    /// <summary>When a sweep last checked this bot: the checker's own clock, so status reads never postpone a repair.</summary>
    public DateTime? LastSweptAt { get; set; }

    /// <summary>Telegram answered 401/404 for this token; the checker leaves the bot alone until the token changes.</summary>
    public bool TokenRejected { get; set; }

    // The checker's contest with another holder of the token (docs/checker.md, "Contested webhooks"); checker-owned.

    /// <summary>When the checker found another client moving the webhook again after its repair; null when not contested.</summary>
    public DateTime? ContestedAt { get; set; }

    /// <summary>scheme://host of the URL the rival set (never its path); null when the rival deleted the webhook.</summary>
    public string? ContestedHost { get; set; }

    /// <summary>Sweeps the checker waits between probes of a contested bot: 1, 2, 4, ... up to Checker:ContestedMaxBackoffSweeps.</summary>
    public int ContestBackoffSweeps { get; set; }

    /// <summary>Sweeps still to skip before the next probe of a contested bot.</summary>
    public int ContestSkipSweeps { get; set; }

    /// <summary>Checks since the checker last set the webhook itself, while it watches for a rival; null when not watching.</summary>
    public int? RepairWatchSweeps { get; set; }

    /// <summary>An operator's explicit set or delete ends any contest: their choice stands.</summary>
    public void EndContest()
    {
        ContestedAt = null;
        ContestedHost = null;
        ContestBackoffSweeps = 0;
        ContestSkipSweeps = 0;
        RepairWatchSweeps = null;
    }

    /// <summary>When the receiver last accepted an update for this bot.</summary>
    public DateTime? LastUpdateReceivedAt { get; set; }

    /// <summary>
    /// Counts the operator's calls that change what Telegram should hold (set, delete, deactivate, a new token). Each
    /// call records its intent with the next value before it calls Telegram, so a call that overlapped a later one can
    /// tell and apply the later intent.
    /// </summary>
    public long IntentGeneration { get; set; }

    /// <summary>The intent generation Telegram is known to hold; behind <see cref="IntentGeneration"/> the sweep settles it.</summary>
    public long AppliedGeneration { get; set; }

    /// <summary>Optimistic concurrency token, renewed on every save.</summary>
    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();
}

/// <summary>Platform names stored in <see cref="BotPlatformCredential.Platform"/>.</summary>
internal static class Platforms
{
    public const string Telegram = "telegram";
}
