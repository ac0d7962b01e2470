using System.Globalization;

namespace WebhookFunctions.StandIns;

/// <summary>
/// A deterministic fleet of N bots the stand-in accepts without a list (a benchmark's 100,000 tokens would not fit on
/// a command line): bot i has <see cref="Token"/>(i) and <see cref="BotId"/>(i); nine in ten start with their webhook
/// set to <c>webhookUrlFormat</c> with "{bot_id}" replaced, one in ten (i divisible by 10) with none.
/// </summary>
internal sealed class StandInFleet(int count, string webhookUrlFormat)
{
    private const string Marker = "FLEET";
    private const string Suffix = "-stand-in-token";

    public int Count => count;

    public static string Token(int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{1_000_000 + index}:{Marker}{index:D10}{Suffix}");

    public static Guid BotId(int index) => new(index, 0x0F1E, 0x0E70, 0, 0, 0, 0, 0, 0, 0, 0);

    public static bool Healthy(int index) => index % 10 != 0;

    public string WebhookUrl(int index) => webhookUrlFormat.Replace("{bot_id}", BotId(index).ToString("D"), StringComparison.Ordinal);

    /// <summary>Bot i's state as Telegram would hold it, when <paramref name="token"/> is this fleet's token i; otherwise null.</summary>
    internal BotState? TryCreate(string token)
    {
        var secret = token.IndexOf(':', StringComparison.Ordinal) + 1;
        if (secret == 0 || token.Length < secret + Marker.Length + 10 || !token.AsSpan(secret).StartsWith(Marker, StringComparison.Ordinal)
            || !int.TryParse(token.AsSpan(secret + Marker.Length, 10), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || index >= count || token != Token(index))
        {
            return null;
        }
        return Healthy(index) ? new BotState { Url = WebhookUrl(index), MaxConnections = 40 } : new BotState();
    }
}
