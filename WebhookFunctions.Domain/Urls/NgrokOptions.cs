using System.ComponentModel.DataAnnotations;

namespace WebhookFunctions.Domain.Urls;

/// <summary>How to find or start an ngrok tunnel in Tunnel mode. Section "Ngrok"; seed aliases NGROK_PORT, NGROK_AUTHTOKEN.</summary>
public sealed class NgrokOptions
{
    public const string Section = "Ngrok";

    /// <summary>The ngrok agent's local API.</summary>
    [Required]
    public string ApiUrl { get; set; } = "http://127.0.0.1:4040";

    /// <summary>The local port the tunnel forwards to: this app's port (7071 for func start and the self-host).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 7071;

    /// <summary>The ngrok executable started when no agent answers; a bare name is looked up on PATH.</summary>
    [Required]
    public string Path { get; set; } = "ngrok";

    /// <summary>Handed to a started ngrok as NGROK_AUTHTOKEN; never logged.</summary>
    public string? AuthToken { get; set; }

    /// <summary>How long to wait for a started ngrok's API to come up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a found public URL is reused before the agent is asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
