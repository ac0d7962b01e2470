using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Errors;

namespace WebhookFunctions.Domain.Urls;

/// <summary>
/// Keeps a service in Tunnel mode (a developer's machine, perhaps with production tokens) from taking over bots whose
/// webhook points at a deployed domain: neither the checker nor an explicit set moves them unless
/// Webhook:AllowTakeover is true. In Domain mode the service is the deployment, so there is nothing to guard.
/// </summary>
internal sealed class WebhookTakeoverGuard(WebhookEnvironment environment, IOptions<WebhookOptions> options)
{
    public const string Setting = "Webhook:AllowTakeover";
    public const string EnvironmentSetting = "Webhook__AllowTakeover=true";

    /// <summary>Whether the guard applies at all: Tunnel mode without Webhook:AllowTakeover.</summary>
    public bool Active => environment.Mode == WebhookMode.Tunnel && !options.Value.AllowTakeover;

    /// <summary>
    /// True when the guard is active and Telegram's <paramref name="currentUrl"/> is a deployed domain: set, not on an
    /// ngrok domain, and not on the host of <paramref name="ourUrl"/>.
    /// </summary>
    public bool Refuses(string currentUrl, string ourUrl) =>
        Active
        && currentUrl.Length > 0
        && !WebhookOrigins.IsNgrok(currentUrl)
        && !WebhookOrigins.SameHost(currentUrl, ourUrl);

    /// <summary>The refusal of an explicit set, naming the webhook's <paramref name="holder"/> and the setting that allows taking it over.</summary>
    public static WebhookTakeoverRefusedException Refusal(Guid botId, string? holder) =>
        new(botId, $"The webhook of bot {botId} points at {holder ?? "another service"}, a deployed domain, and this service runs in Tunnel mode: it does not take over a deployed bot's webhook. To take it over anyway, set {Setting}=true (environment variable {EnvironmentSetting}).");
}
