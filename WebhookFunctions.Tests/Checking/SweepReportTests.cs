using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Tests.Checking;

// The sweep report's per-bot lines are bounded (Checker:ReportMaxBots), so a sweep's memory does not grow with the fleet.
public sealed class SweepReportTests
{
    [Fact]
    public async Task Report_lists_at_most_ReportMaxBots_lines_not_healthy_first_and_counts_every_bot()
    {
        await using var harness = await CheckerHarness.StartAsync(new() { ["Checker:ReportMaxBots"] = "2" });
        var bots = new List<Domain.Persistence.BotPlatformCredential>();
        for (var i = 0; i < 5; i++)
        {
            bots.Add(await harness.AddSetBotAsync());
        }
        harness.Telegram(bots[1]).Url = "";
        harness.Telegram(bots[3]).Url = "";

        var report = await harness.SweepAsync();

        Assert.Equal((5, 3, 2), (report.Checked, report.Healthy, report.Refreshed));
        Assert.Equal(new[] { bots[1].BotId, bots[3].BotId }.Order(), report.Bots.Select(b => b.BotId).Order());
        Assert.All(report.Bots, b => Assert.Equal(CheckOutcome.Refreshed, b.Outcome));
        Assert.Equal(3, report.BotsOmitted);
    }

    [Fact]
    public async Task Healthy_lines_fill_the_report_up_to_ReportMaxBots()
    {
        await using var harness = await CheckerHarness.StartAsync(new() { ["Checker:ReportMaxBots"] = "2" });
        var broken = await harness.AddSetBotAsync();
        await harness.AddSetBotAsync();
        await harness.AddSetBotAsync();
        harness.Telegram(broken).Url = "";

        var report = await harness.SweepAsync();

        Assert.Equal(3, report.Checked);
        Assert.Equal([CheckOutcome.Refreshed, CheckOutcome.Healthy], report.Bots.Select(b => b.Outcome));
        Assert.Equal(broken.BotId, report.Bots[0].BotId);
        Assert.Equal(1, report.BotsOmitted);
    }
}
