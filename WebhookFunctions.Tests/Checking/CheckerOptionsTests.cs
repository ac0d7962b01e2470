using Cronos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Checking;

namespace WebhookFunctions.Tests.Checking;

// The schedule and the checker's settings: parsed, defaulted, and refused at start-up with the setting's name.
public sealed class CheckerOptionsTests
{
    private static CheckerOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddWebhookChecker();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<CheckerOptions>>().Value;
    }

    [Fact]
    public void Default_schedule_fires_every_five_minutes_on_the_minute_in_utc()
    {
        var schedule = CheckerSchedule.Parse(new CheckerOptions().Schedule);
        var from = new DateTimeOffset(2026, 11, 24, 23, 51, 30, TimeSpan.Zero);

        var occurrences = new List<DateTimeOffset>();
        for (var next = schedule.Next(from); occurrences.Count < 4; next = schedule.Next(next!.Value))
        {
            occurrences.Add(next!.Value);
        }

        Assert.Equal(
            [
                new DateTimeOffset(2026, 11, 24, 23, 55, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 11, 25, 0, 5, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 11, 25, 0, 10, 0, TimeSpan.Zero),
            ],
            occurrences);
    }

    [Fact]
    public void An_occurrence_itself_is_not_the_next_occurrence()
    {
        var schedule = CheckerSchedule.Parse("0 */5 * * * *");
        var occurrence = new DateTimeOffset(2026, 11, 25, 0, 5, 0, TimeSpan.Zero);

        Assert.Equal(occurrence.AddMinutes(5), schedule.Next(occurrence));
    }

    [Fact]
    public void Five_field_cron_is_refused_because_the_seconds_field_is_required() =>
        Assert.Throws<CronFormatException>(() => CheckerSchedule.Parse("*/5 * * * *"));

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = Resolve([]);

        Assert.Equal("0 */5 * * * *", options.Schedule);
        Assert.Equal(TimeSpan.FromMinutes(4), options.MinCheckInterval);
        Assert.Equal(TimeSpan.FromHours(1), options.RecentErrorWindow);
        Assert.Equal(100, options.PendingUpdateThreshold);
        Assert.Equal(32, options.MaxConcurrency);
        Assert.True(options.TimeBudget < options.LeaseDuration);
        Assert.Equal(2, options.ContestedAfterSweeps);
        Assert.Equal(12, options.ContestedMaxBackoffSweeps);
    }

    [Fact]
    public void Schedule_falls_back_to_the_functions_app_setting()
    {
        var options = Resolve(new() { ["WEBHOOK_CHECK_SCHEDULE"] = "0 */10 * * * *" });

        Assert.Equal("0 */10 * * * *", options.Schedule);
    }

    [Fact]
    public void Checker_section_wins_over_the_functions_app_setting()
    {
        var options = Resolve(new() { ["WEBHOOK_CHECK_SCHEDULE"] = "0 */10 * * * *", ["Checker:Schedule"] = "30 * * * * *" });

        Assert.Equal("30 * * * * *", options.Schedule);
    }

    [Theory]
    [InlineData("Checker:Schedule", "*/5 * * * *", "Checker:Schedule (or WEBHOOK_CHECK_SCHEDULE)")]
    [InlineData("WEBHOOK_CHECK_SCHEDULE", "every five minutes", "Checker:Schedule (or WEBHOOK_CHECK_SCHEDULE)")]
    [InlineData("Checker:MaxConcurrency", "0", "Checker:MaxConcurrency")]
    [InlineData("Checker:BatchSize", "0", "Checker:BatchSize")]
    [InlineData("Checker:ReportMaxBots", "-1", "Checker:ReportMaxBots")]
    [InlineData("Checker:MinCheckInterval", "-00:01:00", "Checker:MinCheckInterval")]
    [InlineData("Checker:MaxRetryAfterWait", "00:05:00", "Checker:MaxRetryAfterWait")]
    [InlineData("Checker:LeaseDuration", "00:00:10", "Checker:LeaseDuration")]
    [InlineData("Checker:ContestedAfterSweeps", "0", "Checker:ContestedAfterSweeps")]
    [InlineData("Checker:ContestedMaxBackoffSweeps", "0", "Checker:ContestedMaxBackoffSweeps")]
    public async Task Bad_setting_stops_start_up_naming_the_setting(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddWebhookChecker();
        await using var provider = services.BuildServiceProvider();
        var startup = provider.GetRequiredService<IStartupValidator>();

        var error = Assert.Throws<OptionsValidationException>(startup.Validate);

        Assert.Contains(named, error.Message);
    }
}
