using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Dashboard;

/// <summary>The fleet at a glance: bots by state, the last sweep and when the next one is due. Two queries.</summary>
internal sealed class FleetSummaryQuery(IDbContextFactory<WebhookDbContext> databases, FleetQuery fleet, IOptions<CheckerOptions> checker, TimeProvider time)
{
    public async Task<FleetSummary> GetAsync(CancellationToken cancellationToken)
    {
        var counts = await fleet.CountByStateAsync(cancellationToken);
        // Every state, zeros included, keyed by its snake_case name.
        var byState = BotStates.All.ToDictionary(SnakeCase.Of, s => counts.GetValueOrDefault(s));
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var last = await db.Set<SweepRun>().AsNoTracking().OrderByDescending(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        var settings = checker.Value;
        var next = settings.ScheduleEnabled ? CheckerSchedule.Parse(settings.Schedule).Next(time.GetUtcNow())?.UtcDateTime : null;
        return new FleetSummary(byState.Values.Sum(), byState, last is null ? null : LastSweep.From(last), settings.Schedule, next);
    }
}

/// <summary>Bots by state (every state, zeros included), the last sweep, the schedule and the next sweep (null when off).</summary>
public sealed record FleetSummary(int Total, IReadOnlyDictionary<string, int> ByState, LastSweep? LastSweep, string Schedule, DateTime? NextSweepAt);

/// <summary>A finished sweep as logged: when, how long, what it found, how many bots wait for the next one.</summary>
public sealed record LastSweep(
    DateTime StartedAt,
    long DurationMs,
    string Trigger,
    SweepStatus Status,
    int Checked,
    IReadOnlyDictionary<string, int> Counts,
    int LeftForNextSweep,
    string? Detail)
{
    internal static LastSweep From(SweepRun run) => new(
        run.StartedAt, run.DurationMs, run.Trigger, run.Status, run.Checked,
        JsonSerializer.Deserialize<Dictionary<string, int>>(run.Counts) ?? [], run.LeftForNextSweep, run.Detail);
}
