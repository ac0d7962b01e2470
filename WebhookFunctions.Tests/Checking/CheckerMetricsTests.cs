using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Checking;

// The checker's metrics (Meter "WebhookFunctions.Checker") and its summary log line.
public sealed class CheckerMetricsTests : CheckerTestBase
{
    private MetricCollector<T> Collect<T>(string instrument) where T : struct =>
        new(Harness.Domain.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), CheckerMetrics.MeterName, instrument);

    [Fact]
    public async Task Sweep_counts_checks_refreshes_by_reason_failures_by_class_and_its_duration()
    {
        using var checks = Collect<long>("webhook_checker.checks");
        using var refreshes = Collect<long>("webhook_checker.refreshes");
        using var failures = Collect<long>("webhook_checker.failures");
        using var duration = Collect<double>("webhook_checker.sweep.duration");
        await Harness.Domain.AddBotAsync();
        var broken = await Harness.Domain.AddBotAsync();
        Harness.BotApi.Fail(CheckerHarness.Token(broken), "getWebhookInfo", Fault.ServerError());

        await Harness.SweepAsync();

        Assert.Equal(2, checks.GetMeasurementSnapshot().Sum(m => m.Value));
        var refresh = Assert.Single(refreshes.GetMeasurementSnapshot());
        Assert.Equal(SnakeCase.Of(RefreshReason.UrlMissing), refresh.Tags["reason"]);
        Assert.Equal("unavailable", Assert.Single(failures.GetMeasurementSnapshot()).Tags["failure_class"]);
        Assert.Equal(SnakeCase.Of(SweepStatus.Completed), Assert.Single(duration.GetMeasurementSnapshot()).Tags["status"]);
    }

    [Fact]
    public async Task Contests_are_counted_by_reason_and_contested_bots_are_a_state_of_the_bots_gauge()
    {
        using var contests = Collect<long>("webhook_checker.contests");
        using var bots = Collect<int>("webhook_checker.bots");
        using var checks = Collect<long>("webhook_checker.checks");
        await Harness.AddContestedBotAsync();
        await Harness.AddSetBotAsync();

        await Harness.NextSweepAsync();
        bots.RecordObservableInstruments();

        Assert.Equal(SnakeCase.Of(ContestReason.RivalUrl), Assert.Single(contests.GetMeasurementSnapshot()).Tags["reason"]);
        Assert.Equal(1, Assert.Single(bots.GetMeasurementSnapshot(), m => (string?)m.Tags["state"] == SnakeCase.Of(Domain.Persistence.BotState.Contested)).Value);
        Assert.Equal(2, checks.GetMeasurementSnapshot().Count(m => (string?)m.Tags["outcome"] == SnakeCase.Of(CheckOutcome.Contested)));
    }

    [Fact]
    public async Task Sweep_logs_one_summary_line_with_its_counts()
    {
        await Harness.Domain.AddBotAsync();

        await Harness.SweepAsync("manual");

        var summary = Assert.Single(Harness.Domain.Logs.Lines, l => l.Contains("Webhook sweep (manual) completed"));
        Assert.Contains("CheckedCount=1", summary);
        Assert.Contains("Refreshed=1", summary);
        Assert.Contains("DurationMs=", summary);
    }
}
