namespace WebhookFunctions.Domain.Webhooks;

/// <summary>The body of POST .../webhook/set (seed WebhookConfigSchema). Every field is optional.</summary>
public sealed record WebhookConfig
{
    public bool DropPendingUpdates { get; init; }

    /// <summary>1-256 of A-Z a-z 0-9 _ -; when absent the service keeps its stored secret or generates one.</summary>
    public string? SecretToken { get; init; }

    /// <summary>1-100; absent means Telegram's default (40).</summary>
    public int? MaxConnections { get; init; }

    /// <summary>Absent keeps Telegram's previous setting; [] means all types but chat_member and the reactions.</summary>
    public IReadOnlyList<string>? AllowedUpdates { get; init; }
}

/// <summary>The body of POST .../webhook/delete.</summary>
public sealed record WebhookDeleteRequest
{
    public bool DropPendingUpdates { get; init; }
}
