using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Checking;

/// <summary>
/// The self-host's timer: runs a sweep at each occurrence of Checker:Schedule (UTC, seconds included), never at
/// start-up, one after another. The Functions app uses a TimerTrigger on %WEBHOOK_CHECK_SCHEDULE% instead.
/// </summary>
internal sealed partial class CheckerScheduler(
    IServiceScopeFactory scopes,
    IOptions<CheckerOptions> options,
    TimeProvider time,
    ILogger<CheckerScheduler> logger) : BackgroundService
{
    public const string Trigger = "schedule";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ScheduleEnabled)
        {
            LogScheduleDisabled(logger);
            return;
        }
        var schedule = CheckerSchedule.Parse(options.Value.Schedule);
        var after = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            // From the later of now and the last firing, so a timer that wakes a little early never fires twice.
            if (schedule.Next(now > after ? now : after) is not { } next)
            {
                LogNoOccurrence(logger, options.Value.Schedule);
                return;
            }
            await Task.Delay(next - now > TimeSpan.Zero ? next - now : TimeSpan.Zero, time, stoppingToken);
            after = next;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                // In one instance, or split into shards over the queue when Sharding:Mode says so.
                await scope.ServiceProvider.GetRequiredService<IScheduledSweep>().RunScheduledAsync(Trigger, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // One failed sweep (e.g. the database was away) must not end the schedule.
                LogSweepFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checker:ScheduleEnabled is false: this host runs no scheduled sweeps")]
    private static partial void LogScheduleDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checker:Schedule '{Schedule}' has no further occurrence; the scheduler stops")]
    private static partial void LogNoOccurrence(ILogger logger, string schedule);

    [LoggerMessage(Level = LogLevel.Error, Message = "A scheduled webhook sweep failed; the next occurrence runs as planned")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
