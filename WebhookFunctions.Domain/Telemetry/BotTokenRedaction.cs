using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;

namespace WebhookFunctions.Domain.Telemetry;

/// <summary>
/// Takes the bot token out of Bot API URLs (<c>/bot&lt;id&gt;:&lt;secret&gt;/method</c>) before a span leaves the process:
/// the token is a password, and every Bot API URL carries it.
/// </summary>
internal static partial class BotTokenRedaction
{
    public const string Placeholder = "/bot{token}";

    // The tags the HTTP instrumentations (new and old semantic conventions) put a URL or path in.
    private static readonly string[] UrlTags = ["url.full", "url.path", "http.url", "http.target", "url.original"];

    /// <summary>The value with every <c>/bot&lt;token&gt;</c> path segment replaced by <see cref="Placeholder"/>.</summary>
    public static string Redact(string value) => value.Contains("/bot", StringComparison.OrdinalIgnoreCase) ? TokenSegment().Replace(value, Placeholder) : value;

    /// <summary>Redacts the activity's name and URL tags in place.</summary>
    public static void Redact(Activity activity)
    {
        activity.DisplayName = Redact(activity.DisplayName);
        foreach (var tag in UrlTags)
        {
            // Redact returns the same string when there is nothing to take out.
            if (activity.GetTagItem(tag) is string url && Redact(url) is var redacted && !ReferenceEquals(redacted, url))
            {
                activity.SetTag(tag, redacted);
            }
        }
    }

    // A token is "<digits>:<secret>"; the colon may arrive percent-encoded.
    [GeneratedRegex(@"/bot\d+(?::|%3[Aa])[^/?#\s]*", RegexOptions.CultureInvariant)]
    private static partial Regex TokenSegment();
}

/// <summary>
/// Registered ahead of every exporter, so each processor and exporter after it sees the span already redacted,
/// whatever tag a library added after the HTTP instrumentation's own enrich hook ran.
/// </summary>
internal sealed class BotTokenRedactionProcessor : BaseProcessor<Activity>
{
    public override void OnStart(Activity data) => BotTokenRedaction.Redact(data);

    public override void OnEnd(Activity data) => BotTokenRedaction.Redact(data);
}
