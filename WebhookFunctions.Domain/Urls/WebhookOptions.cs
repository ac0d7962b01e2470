namespace WebhookFunctions.Domain.Urls;

/// <summary>How the public webhook URL is chosen. Section "Webhook"; seed aliases WEBHOOK_DOMAIN and USE_NGROK.</summary>
internal sealed class WebhookOptions
{
    public const string Section = "Webhook";

    /// <summary>The route Telegram posts updates to; both hosts serve it.</summary>
    public const string ReceivePathPrefix = "/v1/api/webhooks/telegram/";

    // Webhook:Mode is read by WebhookEnvironment.Detect straight from configuration: other options depend on the mode.

    /// <summary>The public origin in Domain mode, e.g. https://bots.example.com. Defaults to https://{WEBSITE_HOSTNAME}.</summary>
    public string? Domain { get; set; }

    /// <summary>
    /// In Tunnel mode, whether this service may take over a bot whose webhook points at a deployed domain (not ngrok,
    /// not this service). Off by default, so a developer's machine holding production tokens leaves production alone.
    /// </summary>
    public bool AllowTakeover { get; set; }

    public static string ReceivePath(Guid botId) => ReceivePathPrefix + botId.ToString("D");
}

/// <summary>Where the public webhook URL comes from: the app's domain, or an ngrok tunnel.</summary>
internal enum WebhookMode
{
    Domain,
    Tunnel,
}
