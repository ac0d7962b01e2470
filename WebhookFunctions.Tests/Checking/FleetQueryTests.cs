using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Checking;

// The fleet overview: the database's view of every bot's webhook, paged.
public sealed class FleetQueryTests : CheckerTestBase
{
    private Task<FleetPage> PageAsync(int page, int size, bool? contested = null) =>
        Harness.Domain.InScopeAsync(sp => sp.GetRequiredService<FleetQuery>().GetPageAsync(page, size, new FleetFilter(Contested: contested), default));

    [Fact]
    public async Task Fleet_shows_each_bots_webhook_state_and_last_check()
    {
        var healthy = await Harness.AddSetBotAsync();
        var failing = await Harness.AddSetBotAsync();
        Harness.Telegram(healthy).PendingUpdateCount = 4;
        Harness.BotApi.Fail(CheckerHarness.Token(failing), "getWebhookInfo", Fault.ServerError());
        await Harness.SweepAsync();

        var page = await PageAsync(1, 10);

        Assert.Equal(2, page.Total);
        var ok = Assert.Single(page.Bots, b => b.BotId == healthy.BotId);
        Assert.Equal((true, true, CheckerHarness.ExpectedUrl(healthy), CheckOutcome.Healthy, 4), (ok.WebhookEnabled, ok.AutoRefresh, ok.WebhookUrl, ok.LastCheckOutcome, ok.PendingUpdateCount));
        Assert.Equal(Harness.Now, ok.LastChecked);
        var bad = Assert.Single(page.Bots, b => b.BotId == failing.BotId);
        Assert.Equal((CheckOutcome.Failed, "unavailable", 1), (bad.LastCheckOutcome, bad.LastCheckReason, bad.ConsecutiveFailures));
        Assert.Contains("500", bad.LastError);
    }

    [Fact]
    public async Task Fleet_is_paged_in_bot_id_order_and_leaves_out_inactive_credentials()
    {
        var bots = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            bots.Add((await Harness.Domain.AddBotAsync()).BotId);
        }
        await Harness.Domain.AddBotAsync(c => c.IsActive = false);

        var first = await PageAsync(1, 2);
        var third = await PageAsync(3, 2);
        var beyond = await PageAsync(4, 2);

        Assert.Equal(5, first.Total);
        var all = (await PageAsync(1, 5)).Bots.Select(b => b.BotId).ToList();
        Assert.Equal(all.Take(2), first.Bots.Select(b => b.BotId));
        Assert.Equal(all.Skip(4), third.Bots.Select(b => b.BotId));
        Assert.Empty(beyond.Bots);
        Assert.Equal(bots.Order(), all.Order());
    }

    [Fact]
    public async Task Fleet_shows_contested_bots_with_the_rivals_host_and_filters_on_it()
    {
        var contested = await Harness.AddContestedBotAsync("https://rival.example.org/hook/SECRETpathPART");
        var calm = await Harness.AddSetBotAsync();

        var onlyContested = await PageAsync(1, 10, contested: true);
        var others = await PageAsync(1, 10, contested: false);
        var all = await PageAsync(1, 10);

        var line = Assert.Single(onlyContested.Bots);
        Assert.Equal((contested.BotId, true, contested.ContestedAt, "https://rival.example.org", 1), (line.BotId, line.Contested, line.ContestedSince, line.RivalHost, line.SweepsUntilProbe));
        Assert.Equal(CheckOutcome.Contested, line.LastCheckOutcome);
        Assert.Equal(1, onlyContested.Total);
        Assert.Equal(calm.BotId, Assert.Single(others.Bots).BotId);
        Assert.False(others.Bots[0].Contested);
        Assert.Null(others.Bots[0].SweepsUntilProbe);
        Assert.Equal(2, all.Total);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 0)]
    [InlineData(1, 501)]
    public async Task Page_outside_the_limits_is_refused(int page, int size) =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => PageAsync(page, size));
}
