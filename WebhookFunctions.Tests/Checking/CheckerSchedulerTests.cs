using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Tests.Checking;

// The self-host's scheduler, driven by FakeTimeProvider: no sweep at start, one at each occurrence.
public sealed class CheckerSchedulerTests : CheckerTestBase
{
    private static CheckerScheduler NewScheduler(CheckerHarness harness) => new(
        harness.Domain.Services.GetRequiredService<IServiceScopeFactory>(),
        harness.Domain.Services.GetRequiredService<IOptions<CheckerOptions>>(),
        harness.Time,
        harness.Domain.Services.GetRequiredService<ILogger<CheckerScheduler>>());

    [Fact]
    public async Task Scheduler_waits_for_the_next_occurrence_instead_of_sweeping_at_start()
    {
        // The harness clock starts at 12:00:00, itself an occurrence: the next one is 12:05:00.
        var bot = await Harness.Domain.AddBotAsync();
        using var scheduler = NewScheduler(Harness);

        await scheduler.StartAsync(default);
        var wait = await Harness.Time.NextTimerAsync();
        await scheduler.StopAsync(default);

        Assert.Equal(TimeSpan.FromMinutes(5), wait);
        Assert.Empty(Harness.BotApi.Calls);
        Assert.Null((await Harness.ReloadAsync(bot)).LastCheckOutcome);
    }

    [Fact]
    public async Task Scheduler_sweeps_at_each_occurrence()
    {
        var bot = await Harness.Domain.AddBotAsync();
        var held = Harness.BotApi.Hold(CheckerHarness.Token(bot), "getWebhookInfo");
        using var scheduler = NewScheduler(Harness);
        await scheduler.StartAsync(default);

        Harness.Clock.Advance(await Harness.Time.NextTimerAsync());
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        // The sweep's lease renewal, every third of Checker:LeaseDuration while it runs.
        Assert.Equal(TimeSpan.FromMinutes(2), await Harness.Time.NextTimerAsync());
        held.Release();
        var nextWait = await Harness.Time.NextTimerAsync();
        await scheduler.StopAsync(default);

        Assert.Equal(TimeSpan.FromMinutes(5), nextWait);
        var stored = await Harness.ReloadAsync(bot);
        Assert.Equal(CheckOutcome.Refreshed, stored.LastCheckOutcome);
        Assert.Equal(new DateTime(2026, 11, 24, 12, 5, 0, DateTimeKind.Utc), stored.WebhookLastChecked);
    }

    [Fact]
    public void Self_host_registration_adds_the_scheduler_as_a_hosted_service()
    {
        var services = new ServiceCollection().AddWebhookCheckerSchedule();

        Assert.Contains(services, d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService) && d.ImplementationType == typeof(CheckerScheduler));
    }

    [Fact]
    public async Task Scheduler_switched_off_never_waits_or_sweeps()
    {
        await using var harness = await CheckerHarness.StartAsync(new() { ["Checker:ScheduleEnabled"] = "false" });
        using var scheduler = NewScheduler(harness);

        await scheduler.StartAsync(default);
        await scheduler.ExecuteTask!;

        Assert.Contains(harness.Domain.Logs.Lines, l => l.Contains("Checker:ScheduleEnabled is false"));
    }
}
