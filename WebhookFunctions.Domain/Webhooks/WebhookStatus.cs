using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Webhooks;

/// <summary>
/// What Telegram reports for a bot's webhook (every getWebhookInfo field, dates UTC) and what this service knows
/// of it. Never carries the token or the secret.
/// </summary>
public sealed record WebhookStatus
{
    public Guid BotId { get; init; }
    public string? Url { get; init; }
    public bool HasCustomCertificate { get; init; }
    public int PendingUpdateCount { get; init; }
    public string? IpAddress { get; init; }
    public DateTime? LastErrorDate { get; init; }
    public string? LastErrorMessage { get; init; }
    public DateTime? LastSynchronizationErrorDate { get; init; }
    public int? MaxConnections { get; init; }
    public IReadOnlyList<string>? AllowedUpdates { get; init; }

    /// <summary>The URL this service would set now; null when it can't be resolved (e.g. no tunnel).</summary>
    public string? ExpectedUrl { get; init; }
    public bool UrlMatches { get; init; }
    public bool WebhookEnabled { get; init; }
    public bool AutoRefresh { get; init; }
    public DateTime? LastChecked { get; init; }
    public DateTime? LastSetAt { get; init; }
    public CheckOutcome? LastCheckOutcome { get; init; }
    public string? LastCheckReason { get; init; }
    public DateTime? LastUpdateReceivedAt { get; init; }

    /// <summary>Another holder of the token keeps moving the webhook; the checker backs off (docs/checker.md).</summary>
    public bool Contested { get; init; }
    public DateTime? ContestedSince { get; init; }

    /// <summary>scheme://host of the URL the rival set, never its path; null when the rival deleted the webhook.</summary>
    public string? RivalHost { get; init; }

    /// <summary>Sweeps until the checker looks at a contested bot again (0: the next sweep).</summary>
    public int? SweepsUntilProbe { get; init; }
}
