using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Credentials;

/// <summary>Body of POST /v1/api/bots/{botId}/platforms.</summary>
public sealed record CredentialRegistration
{
    public string? Platform { get; init; }
    public CredentialSecrets? Credentials { get; init; }
    public bool IsActive { get; init; } = true;
    public bool WebhookAutoRefresh { get; init; } = true;
}

/// <summary>Body of PUT /v1/api/bots/{botId}/platforms/telegram: every field optional, absent means unchanged.</summary>
public sealed record CredentialUpdate
{
    public CredentialSecrets? Credentials { get; init; }
    public bool? IsActive { get; init; }
    public bool? WebhookAutoRefresh { get; init; }
}

/// <summary>The secret part of a credential; write-only on the wire.</summary>
public sealed record CredentialSecrets
{
    public string? Token { get; init; }
}

/// <summary>A stored credential as the API shows it: the token only as a masked hint.</summary>
public sealed record CredentialView
{
    public Guid Id { get; init; }
    public Guid BotId { get; init; }
    public string Platform { get; init; } = "";
    public string TokenHint { get; init; } = "";
    public bool IsActive { get; init; }
    public bool WebhookAutoRefresh { get; init; }
    public bool WebhookEnabled { get; init; }
    public string? WebhookUrl { get; init; }
    public bool TokenRejected { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    internal static CredentialView From(BotPlatformCredential c) => new()
    {
        Id = c.Id,
        BotId = c.BotId,
        Platform = c.Platform,
        TokenHint = BotToken.Mask(BotToken.Read(c.Credentials)),
        IsActive = c.IsActive,
        WebhookAutoRefresh = c.WebhookAutoRefresh,
        WebhookEnabled = c.WebhookEnabled,
        WebhookUrl = c.WebhookUrl,
        TokenRejected = c.TokenRejected,
        CreatedAt = c.CreatedAt,
        UpdatedAt = c.UpdatedAt,
    };
}

/// <summary>What DELETE /v1/api/bots/{botId}/platforms/telegram did.</summary>
public sealed record CredentialDeactivation
{
    public bool Deactivated { get; init; }
    public bool WebhookDeleted { get; init; }

    /// <summary>Why the webhook could not be deleted at Telegram, when it could not.</summary>
    public string? WebhookError { get; init; }
}
