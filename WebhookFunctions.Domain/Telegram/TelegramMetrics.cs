using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WebhookFunctions.Domain.Telegram;

/// <summary>Bot API calls on the Meter "WebhookFunctions.Telegram", recorded by the gateway for every call.</summary>
internal sealed class TelegramMetrics
{
    public const string MeterName = "WebhookFunctions.Telegram";

    /// <summary>The <c>result</c> of a call that Telegram answered with ok; failures carry their class (token_rejected, timeout...).</summary>
    public const string Ok = "ok";

    /// <summary>The caller gave up (its cancellation token fired) before the answer came.</summary>
    public const string Cancelled = "cancelled";

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    public TelegramMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _calls = meter.CreateCounter<long>("webhook_bot_api.calls", "{call}", "Bot API calls, by method and result.");
        _duration = meter.CreateHistogram<double>("webhook_bot_api.call.duration", "s", "Duration of a Bot API call, by method and result.");
    }

    /// <summary><paramref name="method"/> is the Bot API method name (setWebhook...), never the URL: the URL holds the token.</summary>
    internal void Called(string method, string result, TimeSpan duration)
    {
        var tags = new TagList { { "method", method }, { "result", result } };
        _calls.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }
}
