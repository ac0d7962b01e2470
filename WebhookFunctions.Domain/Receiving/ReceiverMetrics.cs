using System.Diagnostics.Metrics;
using System.Text.Json;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>The receiver's instruments on the Meter "WebhookFunctions.Receiver".</summary>
public sealed class ReceiverMetrics
{
    public const string MeterName = "WebhookFunctions.Receiver";

    private readonly Counter<long> _rejected;

    public ReceiverMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _rejected = meter.CreateCounter<long>("webhook_receiver.rejected", "{delivery}", "Deliveries refused, by reason (unauthorized, forbidden, not_found, bad_request, too_large, unavailable).");
    }

    internal void Rejected(ReceiveOutcome reason) =>
        _rejected.Add(1, new KeyValuePair<string, object?>("reason", JsonNamingPolicy.SnakeCaseLower.ConvertName(reason.ToString())));
}
