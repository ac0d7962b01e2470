using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using WebhookFunctions.Domain.Receiving;

namespace WebhookFunctions.Tests.Receiving;

// Refused deliveries are all counted in a metric, and logged at most once per bot and reason a minute, with the count
// of the lines held back: a flood of bad calls cannot flood the log.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class RejectionLoggingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ReceiverHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ReceiverHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Two_thousand_unauthenticated_deliveries_write_one_line_and_count_two_thousand()
    {
        using var rejected = new MetricCollector<long>(_harness.Domain.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), ReceiverMetrics.MeterName, "webhook_receiver.deliveries");
        var (botId, _) = await _harness.AddBotWithWebhookAsync();
        var linesBefore = InformationOrAbove();

        for (var i = 0; i < 2000; i++)
        {
            await _harness.DeliverOverApiAsync(botId, "not-the-secret", ReceiverHarness.Update(i));
        }

        Assert.Equal(linesBefore + 1, InformationOrAbove());
        Assert.Single(RejectionLines());
        var measurements = rejected.GetMeasurementSnapshot();
        Assert.Equal(2000, measurements.Sum(m => m.Value));
        Assert.All(measurements, m => Assert.Equal("unauthorized", m.Tags["result"]));
    }

    [Fact]
    public async Task A_minute_later_the_next_rejection_is_logged_with_the_count_held_back()
    {
        var (botId, _) = await _harness.AddBotWithWebhookAsync();
        for (var i = 0; i < 5; i++)
        {
            await _harness.DeliverAsync(botId, "not-the-secret", ReceiverHarness.Update(i));
        }

        _harness.Domain.Time.Advance(RejectionLogThrottle.Window);
        await _harness.DeliverAsync(botId, "not-the-secret", ReceiverHarness.Update(6));

        var lines = RejectionLines();
        Assert.Equal(2, lines.Count);
        Assert.Contains("Suppressed=4", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_bot_and_reason_gets_its_own_line()
    {
        var (first, firstSecret) = await _harness.AddBotWithWebhookAsync();
        var (second, _) = await _harness.AddBotWithWebhookAsync();

        await _harness.DeliverAsync(first, "not-the-secret", ReceiverHarness.Update(1));
        await _harness.DeliverAsync(second, "not-the-secret", ReceiverHarness.Update(1));
        await _harness.DeliverAsync(first, firstSecret, "{\"message\":{}}");
        await _harness.DeliverAsync(first, "not-the-secret", ReceiverHarness.Update(2));

        Assert.Equal(3, RejectionLines().Count);
    }

    [Fact]
    public void Invented_bot_ids_beyond_the_tracked_number_share_one_line_per_reason()
    {
        var throttle = new RejectionLogThrottle(new FakeTimeProvider());

        var logged = Enumerable.Range(0, RejectionLogThrottle.MaxTrackedBots + 500)
            .Count(_ => throttle.ShouldLog(Guid.NewGuid(), ReceiveOutcome.Unauthorized, out long _));

        Assert.Equal(RejectionLogThrottle.MaxTrackedBots + 1, logged);
    }

    private int InformationOrAbove() =>
        _harness.Domain.Logs.Lines.Count(l => !l.StartsWith("Trace", StringComparison.Ordinal) && !l.StartsWith("Debug", StringComparison.Ordinal));

    private List<string> RejectionLines() =>
        _harness.Domain.Logs.Lines.Where(l => l.Contains("Rejected a delivery", StringComparison.Ordinal) && !l.StartsWith("Debug", StringComparison.Ordinal)).ToList();
}
