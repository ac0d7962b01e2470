using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WebhookFunctions.Domain.Receiving;
using WebhookFunctions.Tests.Receiving;

namespace WebhookFunctions.Tests.Telemetry;

// The receiver's metrics (Meter "WebhookFunctions.Receiver") against real Azurite.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class ReceiverMetricsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ReceiverHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ReceiverHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private MetricCollector<T> Collect<T>(string instrument) where T : struct =>
        new(_harness.Domain.Services.GetRequiredService<IMeterFactory>(), ReceiverMetrics.MeterName, instrument);

    [Fact]
    public async Task Deliveries_are_counted_by_result_and_status_and_each_enqueue_is_timed()
    {
        using var deliveries = Collect<long>("webhook_receiver.deliveries");
        using var enqueues = Collect<double>("webhook_receiver.enqueue.duration");
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();

        await _harness.DeliverOverApiAsync(botId, secret, ReceiverHarness.Update(1));
        await _harness.DeliverOverApiAsync(botId, secret, ReceiverHarness.Update(1));
        await _harness.DeliverOverApiAsync(botId, "wrong-secret", ReceiverHarness.Update(2));

        var counted = deliveries.GetMeasurementSnapshot()
            .Select(m => ($"{m.Tags["result"]}", (int)m.Tags["http.response.status_code"]!, m.Value)).ToArray();
        Assert.Equal([("accepted", 200, 1L), ("duplicate", 200, 1L), ("unauthorized", 401, 1L)], counted);
        // Once: the duplicate was not enqueued again. (The harness's clock is fake, so the value itself is not read.)
        Assert.Equal("ok", Assert.Single(enqueues.GetMeasurementSnapshot()).Tags["result"]);
    }
}
