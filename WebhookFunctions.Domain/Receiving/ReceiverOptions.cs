using System.ComponentModel.DataAnnotations;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>How the receiver trades freshness for speed. Section "Receiver".</summary>
internal sealed class ReceiverOptions
{
    public const string Section = "Receiver";

    /// <summary>
    /// How long a bot's credential (secret digest, active, enabled) is reused between deliveries. The replica that changes
    /// a credential forgets it at once; other replicas see the change within this time. Zero reads it on every delivery.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Receiver:CredentialCacheDuration must be between {1} and {2}.")]
    public TimeSpan CredentialCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}
