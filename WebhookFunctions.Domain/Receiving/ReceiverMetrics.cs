using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>Deliveries from Telegram on the Meter "WebhookFunctions.Receiver".</summary>
internal sealed class ReceiverMetrics
{
    public const string MeterName = "WebhookFunctions.Receiver";

    /// <summary>The <c>result</c> of a delivery that threw (answered 500 by the API layer).</summary>
    public const string Error = "error";

    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _enqueueDuration;

    public ReceiverMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _deliveries = meter.CreateCounter<long>("webhook_receiver.deliveries", "{delivery}",
            "Deliveries from Telegram, by result (accepted, duplicate, unauthorized, ..., unavailable) and HTTP status.");
        _enqueueDuration = meter.CreateHistogram<double>("webhook_receiver.enqueue.duration", "s",
            "Time to put one update on the queue, by result (ok, failed).");
    }

    /// <summary>A delivery, tagged with its outcome and the HTTP status the API layer answers for it.</summary>
    internal void Delivered(ReceiveOutcome outcome, int statusCode) => Count(ResultOf(outcome), statusCode);

    /// <summary>A delivery that threw, tagged with the status the API layer answers (500).</summary>
    internal void DeliveryFailed(int statusCode) => Count(Error, statusCode);

    private void Count(string result, int statusCode) => _deliveries.Add(1, new TagList
    {
        { "result", result },
        { "http.response.status_code", statusCode },
    });

    internal void Enqueued(bool succeeded, TimeSpan duration) =>
        _enqueueDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("result", succeeded ? "ok" : "failed"));

    /// <summary>The outcome as the stable snake_case tag value.</summary>
    internal static string ResultOf(ReceiveOutcome outcome) => outcome switch
    {
        ReceiveOutcome.Accepted => "accepted",
        ReceiveOutcome.Duplicate => "duplicate",
        ReceiveOutcome.Unauthorized => "unauthorized",
        ReceiveOutcome.NotFound => "not_found",
        ReceiveOutcome.BadRequest => "bad_request",
        ReceiveOutcome.TooLarge => "too_large",
        ReceiveOutcome.Forbidden => "forbidden",
        ReceiveOutcome.Unavailable => "unavailable",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
