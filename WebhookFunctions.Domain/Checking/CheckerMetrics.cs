using System.Diagnostics;
using System.Diagnostics.Metrics;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Domain.Checking;

/// <summary>The checker's instruments on the Meter "WebhookFunctions.Checker", and its sweep spans.</summary>
internal sealed class CheckerMetrics
{
    public const string MeterName = "WebhookFunctions.Checker";

    /// <summary>One span per sweep ("webhook sweep"), carrying its status and counts as tags.</summary>
    public const string ActivitySourceName = "WebhookFunctions.Checker";

    internal static readonly ActivitySource Sweeps = new(ActivitySourceName);

    private readonly Counter<long> _checks;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _contests;
    private readonly Histogram<double> _sweepDuration;

    // The fleet as the last sweep's count found it; null until a sweep on this instance counted it.
    private volatile IReadOnlyDictionary<BotState, int>? _botsByState;

    public CheckerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _checks = meter.CreateCounter<long>("webhook_checker.checks", "{check}", "Bots checked, by outcome.");
        _refreshes = meter.CreateCounter<long>("webhook_checker.refreshes", "{refresh}", "Webhooks set again by the checker, by reason.");
        _failures = meter.CreateCounter<long>("webhook_checker.failures", "{failure}", "Failed checks, by failure class.");
        _contests = meter.CreateCounter<long>("webhook_checker.contests", "{contest}", "Times another client moved a webhook again after the checker set it, by reason.");
        _sweepDuration = meter.CreateHistogram<double>("webhook_checker.sweep.duration", "s", "Duration of a sweep, by status.");
        meter.CreateObservableGauge("webhook_checker.bots", ObserveBots, "{bot}", "Active Telegram bots by state, as counted at the end of the last sweep.");
    }

    internal void Checked(CheckOutcome outcome) => _checks.Add(1, new KeyValuePair<string, object?>("outcome", SnakeCase.Of(outcome)));

    internal void Refreshed(string reason) => _refreshes.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void Failed(FailureClass failureClass) => _failures.Add(1, new KeyValuePair<string, object?>("failure_class", SnakeCase.Of(failureClass)));

    internal void Contested(ContestReason reason) => _contests.Add(1, new KeyValuePair<string, object?>("reason", SnakeCase.Of(reason)));

    /// <summary>A sweep that threw: only its duration, under its status.</summary>
    internal void Swept(SweepStatus status, TimeSpan duration) =>
        _sweepDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status", SnakeCase.Of(status)));

    internal void Swept(SweepReport report) => Swept(report.Status, report.Duration);

    /// <summary>Replaces the fleet counts the bots gauge reports; every known state is reported, 0 when no bot is in it.</summary>
    internal void Counted(IReadOnlyDictionary<BotState, int> botsByState) => _botsByState = botsByState;

    private IEnumerable<Measurement<int>> ObserveBots()
    {
        if (_botsByState is not { } counts)
        {
            yield break;
        }
        foreach (var state in BotStates.All)
        {
            yield return new Measurement<int>(counts.GetValueOrDefault(state), new KeyValuePair<string, object?>("state", SnakeCase.Of(state)));
        }
    }
}
