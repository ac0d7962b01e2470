using System.Diagnostics.Metrics;

namespace WebhookFunctions.Domain.Checking;

/// <summary>The checker's instruments on the Meter "WebhookFunctions.Checker".</summary>
public sealed class CheckerMetrics
{
    public const string MeterName = "WebhookFunctions.Checker";

    private readonly Counter<long> _checks;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _contests;
    private readonly Histogram<double> _sweepDuration;
    private int _contestedBots;

    public CheckerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _checks = meter.CreateCounter<long>("webhook_checker.checks", "{check}", "Bots checked, by outcome.");
        _refreshes = meter.CreateCounter<long>("webhook_checker.refreshes", "{refresh}", "Webhooks set again by the checker, by reason.");
        _failures = meter.CreateCounter<long>("webhook_checker.failures", "{failure}", "Failed checks, by failure class.");
        _contests = meter.CreateCounter<long>("webhook_checker.contests", "{contest}", "Times another client moved a webhook again after the checker set it, by reason.");
        meter.CreateObservableGauge("webhook_checker.contested_bots", () => Volatile.Read(ref _contestedBots), "{bot}", "Contested bots seen by the last sweep that ran.");
        _sweepDuration = meter.CreateHistogram<double>("webhook_checker.sweep.duration", "s", "Duration of a sweep, by status.");
    }

    internal void Checked(string outcome) => _checks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal void Refreshed(string reason) => _refreshes.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void Failed(string failureClass) => _failures.Add(1, new KeyValuePair<string, object?>("failure_class", failureClass));

    internal void Contested(string reason) => _contests.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void Swept(SweepReport report)
    {
        _sweepDuration.Record(report.Duration.TotalSeconds, new KeyValuePair<string, object?>("status", report.Status));
        if (report.Ran)
        {
            Volatile.Write(ref _contestedBots, report.Contested);
        }
    }
}
