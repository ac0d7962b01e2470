using System.ComponentModel.DataAnnotations;

namespace WebhookFunctions.Domain.Urls;

/// <summary>How to find or start an ngrok tunnel in Tunnel mode. Section "Ngrok"; seed aliases NGROK_PORT, NGROK_AUTHTOKEN.</summary>
internal sealed class NgrokOptions
{
    public const string Section = "Ngrok";

    /// <summary>The ngrok agent's local API (its web_addr); a trailing /api is accepted.</summary>
    [Required(ErrorMessage = "Ngrok:ApiUrl is required, e.g. http://127.0.0.1:4040.")]
    public string ApiUrl { get; set; } = "http://127.0.0.1:4040";

    /// <summary>The local port the tunnel forwards to: this app's port (7071 for func start and the self-host).</summary>
    [Range(1, 65535, ErrorMessage = "Ngrok:Port (or NGROK_PORT) must be a whole number between 1 and 65535: the local port of this app.")]
    public int Port { get; set; } = 7071;

    /// <summary>The ngrok executable started when no agent answers; a bare name is looked up on PATH.</summary>
    [Required(ErrorMessage = "Ngrok:Path is required: the ngrok executable, e.g. ngrok or /usr/local/bin/ngrok.")]
    public string Path { get; set; } = "ngrok";

    /// <summary>Handed to a started ngrok as NGROK_AUTHTOKEN; never logged.</summary>
    public string? AuthToken { get; set; }

    /// <summary>How long to wait for a started ngrok's API to come up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = "Ngrok:StartTimeout must be between 00:00:01 and 00:02:00.")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a found public URL is reused before the agent is asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Ngrok:CacheDuration must be between 00:00:00 and 01:00:00.")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The agent's tunnels resource, from <see cref="ApiUrl"/> with or without its /api suffix.</summary>
    internal Uri TunnelsEndpoint()
    {
        var root = ApiUrl.Trim().TrimEnd('/');
        if (root.EndsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            root = root[..^4];
        }
        return new Uri(root + "/api/tunnels");
    }

    internal static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
