using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Checking;

// The checker's metrics (Meter "WebhookFunctions.Checker") and its summary log line.
public sealed class CheckerMetricsTests : IAsyncLifetime
{
    private CheckerHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await CheckerHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private MetricCollector<T> Collect<T>(string instrument) where T : struct =>
        new(_harness.Domain.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), CheckerMetrics.MeterName, instrument);

    [Fact]
    public async Task Sweep_counts_checks_refreshes_by_reason_failures_by_class_and_its_duration()
    {
        using var checks = Collect<long>("webhook_checker.checks");
        using var refreshes = Collect<long>("webhook_checker.refreshes");
        using var failures = Collect<long>("webhook_checker.failures");
        using var duration = Collect<double>("webhook_checker.sweep.duration");
        await _harness.Domain.AddBotAsync();
        var broken = await _harness.Domain.AddBotAsync();
        _harness.BotApi.Fail(CheckerHarness.Token(broken), "getWebhookInfo", Fault.ServerError());

        await _harness.SweepAsync();

        Assert.Equal(2, checks.GetMeasurementSnapshot().Sum(m => m.Value));
        var refresh = Assert.Single(refreshes.GetMeasurementSnapshot());
        Assert.Equal(RefreshReasons.UrlMissing, refresh.Tags["reason"]);
        Assert.Equal("unavailable", Assert.Single(failures.GetMeasurementSnapshot()).Tags["failure_class"]);
        Assert.Equal(SweepStatuses.Completed, Assert.Single(duration.GetMeasurementSnapshot()).Tags["status"]);
    }

    [Fact]
    public async Task Sweep_logs_one_summary_line_with_its_counts()
    {
        await _harness.Domain.AddBotAsync();

        await _harness.SweepAsync("manual");

        var summary = Assert.Single(_harness.Domain.Logs.Lines, l => l.Contains("Webhook sweep (manual) completed"));
        Assert.Contains("CheckedCount=1", summary);
        Assert.Contains("Refreshed=1", summary);
        Assert.Contains("DurationMs=", summary);
    }
}
