using System.ComponentModel.DataAnnotations;
using Azure.Storage.Queues;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>Where received updates are handed off, and what the receiver accepts. Section "UpdateQueue".</summary>
internal sealed class UpdateQueueOptions
{
    public const string Section = "UpdateQueue";

    /// <summary>The Azure Storage queue the updates go to.</summary>
    [Required(ErrorMessage = "UpdateQueue:Name is required.")]
    public string Name { get; set; } = "telegram-updates";

    /// <summary>A storage connection string (Azurite locally: "UseDevelopmentStorage=true"). Exclusive with <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>https://&lt;account&gt;.queue.core.windows.net, reached with the app's Azure.Identity credential (managed identity in Azure).</summary>
    public string? ServiceUri { get; set; }

    /// <summary>Create the queue when it is missing. Default: on with a connection string, off with a service URI (infra creates it).</summary>
    public bool? CreateIfNotExists { get; set; }

    /// <summary>Base64 is what the Functions QueueTrigger decodes by default; None suits consumers configured for plain text.</summary>
    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.Base64;

    /// <summary>Bodies larger than this are refused unread. An update must also fit one queue message (64 KiB encoded).</summary>
    [Range(1024, 1024 * 1024, ErrorMessage = "UpdateQueue:MaxBodyBytes must be between {1} and {2}.")]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long an update id is remembered, so a redelivery is enqueued once. Telegram keeps updates at most 24 h.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "UpdateQueue:DeduplicationWindow must be between {1} and {2}.")]
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Refuse deliveries from outside Telegram's documented ranges. Off: tunnels and proxies hide the source.</summary>
    public bool AllowTelegramSourceRangesOnly { get; set; }

    /// <summary>Addresses or CIDR ranges of proxies whose X-Forwarded-For is believed.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    internal bool ShouldCreateQueue => CreateIfNotExists ?? !string.IsNullOrWhiteSpace(ConnectionString);
}
