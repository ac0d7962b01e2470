using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebhookFunctions.Domain.Sharding;

/// <summary>
/// One shard's queue message: which run, which key range, and what the whole run shares (its due cut-off, its deadline
/// and the base URL resolved once per run). Carries no token or secret.
/// </summary>
internal sealed record ShardMessage
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required Guid RunId { get; init; }
    public required int ShardKey { get; init; }
    public Guid? AfterId { get; init; }
    public required Guid ThroughId { get; init; }

    /// <summary>Bots last swept after this are not due (the run's start less Checker:MinCheckInterval).</summary>
    public required DateTime CheckedBefore { get; init; }

    /// <summary>No bot is started after this (the run's start plus Checker:TimeBudget).</summary>
    public required DateTime Deadline { get; init; }
    public required string BaseUrl { get; init; }

    /// <summary>Credentials in the range sharing a Telegram bot with another bot id: left alone, as a one-instance sweep does.</summary>
    public IReadOnlyList<Guid> Skip { get; init; } = [];

    public BinaryData ToBinary() => BinaryData.FromObjectAsJson(this, Json);

    /// <summary>The message, or null when it is not one (it is then reported poisoned, never retried).</summary>
    public static ShardMessage? TryRead(BinaryData body)
    {
        try
        {
            return body.ToObjectFromJson<ShardMessage>(Json) is { RunId: var run, ThroughId: var through, BaseUrl: { Length: > 0 } } message
                && run != Guid.Empty && through != Guid.Empty ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
