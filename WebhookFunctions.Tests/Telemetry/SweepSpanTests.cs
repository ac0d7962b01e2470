using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Checking;

namespace WebhookFunctions.Tests.Telemetry;

// The sweep as one span on the ActivitySource "WebhookFunctions.Checker", its counts as tags; a sweep that throws is
// still measured, since the "sweep failed" alert reads it.
public sealed class SweepSpanTests : CheckerTestBase
{
    [Fact]
    public async Task Sweep_that_throws_is_recorded_as_failed_in_its_duration_and_its_span()
    {
        using var duration = new MetricCollector<double>(Harness.Domain.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            CheckerMetrics.MeterName, "webhook_checker.sweep.duration");
        await using (var db = Harness.Domain.NewDb())
        {
            await db.Database.ExecuteSqlRawAsync("DROP TABLE sweep_lease");
        }

        await Assert.ThrowsAnyAsync<DbException>(() => Harness.SweepAsync());

        Assert.Equal(SnakeCase.Of(SweepStatus.Failed), Assert.Single(duration.GetMeasurementSnapshot()).Tags["status"]);
    }

    [Fact]
    public async Task Sweep_is_one_span_carrying_its_status_and_counts()
    {
        // Other tests sweep at the same time: this one's span is told apart by its trigger.
        var trigger = "span-" + Guid.NewGuid().ToString("N");
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CheckerMetrics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await Harness.Domain.AddBotAsync();
        var broken = await Harness.Domain.AddBotAsync();
        Harness.BotApi.Fail(CheckerHarness.Token(broken), "getWebhookInfo", Fault.ServerError());

        await Harness.SweepAsync(trigger);

        var span = Assert.Single(spans, s => Equals(s.GetTagItem("webhook.sweep.trigger"), trigger));
        Assert.Equal("webhook sweep", span.DisplayName);
        Assert.Equal(SnakeCase.Of(SweepStatus.Completed), span.GetTagItem("webhook.sweep.status"));
        Assert.Equal(2, span.GetTagItem("webhook.sweep.checked"));
        Assert.Equal(1, span.GetTagItem("webhook.sweep.refreshed"));
        Assert.Equal(1, span.GetTagItem("webhook.sweep.failed"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }
}
