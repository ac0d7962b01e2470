namespace WebhookFunctions.Domain.Urls;

/// <summary>What may be said about a webhook URL someone else set: its origin only, since the path may carry a secret.</summary>
internal static class WebhookOrigins
{
    // ngrok's own domains (random, dev and custom subdomains); a bring-your-own domain on ngrok looks deployed.
    private static readonly string[] NgrokDomains =
        ["ngrok-free.app", "ngrok-free.dev", "ngrok-free.pizza", "ngrok.app", "ngrok.dev", "ngrok.io", "ngrok.pizza", "ngrok.pro"];

    /// <summary>scheme://host of <paramref name="url"/> (no port, user info, path or query); null when it is not an absolute URL.</summary>
    public static string? Of(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? $"{uri.Scheme}://{uri.IdnHost}" : null;

    /// <summary>True when <paramref name="url"/> is on an ngrok-managed domain, i.e. some developer's tunnel.</summary>
    public static bool IsNgrok(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && NgrokDomains.Any(d => uri.Host.Equals(d, StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when both URLs are absolute and on the same host.</summary>
    public static bool SameHost(string url, string other) =>
        Uri.TryCreate(url, UriKind.Absolute, out var a) && Uri.TryCreate(other, UriKind.Absolute, out var b)
        && a.Host.Equals(b.Host, StringComparison.OrdinalIgnoreCase);
}
