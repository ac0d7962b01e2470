using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.Tests.Checking;

// Sweeps against each other and against operators: the lease, the time budget, and optimistic concurrency.
// Races are ordered by holding a call in the Bot API stand-in, never by sleeping.
public sealed class SweepConcurrencyTests : CheckerTestBase
{
    [Fact]
    public async Task Two_sweeps_started_together_only_one_runs()
    {
        var bot = await Harness.AddSetBotAsync();
        var held = Harness.BotApi.Hold(CheckerHarness.Token(bot), "getWebhookInfo");

        var first = Harness.SweepAsync("schedule");
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        var second = await Harness.SweepAsync("manual");
        held.Release();
        var firstReport = await first;

        Assert.Equal(SweepStatus.AlreadyRunning, second.Status);
        Assert.False(second.Ran);
        Assert.Equal(0, second.Checked);
        Assert.Equal((SweepStatus.Completed, 1), (firstReport.Status, firstReport.Checked));
    }

    [Fact]
    public async Task Lease_is_released_when_a_sweep_ends()
    {
        await Harness.SweepAsync();

        var next = await Harness.SweepAsync();

        Assert.Equal(SweepStatus.Completed, next.Status);
    }

    [Fact]
    public async Task Lease_of_a_sweep_that_died_blocks_others_until_it_expires()
    {
        await using (var db = Harness.Domain.NewDb())
        {
            var expiresAt = Harness.Now.AddMinutes(6);
            await db.SweepLeases.ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, "replica-2/1/dead").SetProperty(l => l.ExpiresAt, expiresAt));
        }

        var blocked = await Harness.SweepAsync();
        Harness.Clock.Advance(TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1));
        var after = await Harness.SweepAsync();

        Assert.Equal(SweepStatus.AlreadyRunning, blocked.Status);
        Assert.Equal(SweepStatus.Completed, after.Status);
    }

    [Fact]
    public async Task Operator_set_during_a_repair_stands_in_the_database_and_at_telegram()
    {
        var bot = await Harness.AddSetBotAsync(new WebhookConfig { SecretToken = "old_secret", MaxConnections = 5 });
        Harness.Telegram(bot).Url = "";
        var held = Harness.BotApi.Hold(CheckerHarness.Token(bot), "setWebhook");

        var sweep = Harness.SweepAsync();
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        Harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await Harness.SetViaApiAsync(bot, new WebhookConfig { SecretToken = "operator_secret", MaxConnections = 10 });
        var operatorSetAt = Harness.Now;
        held.Release();
        var report = await sweep;

        Assert.Equal(1, report.Superseded);
        Assert.False(report.Bots[0].Recorded);
        var stored = await Harness.ReloadAsync(bot);
        Assert.Equal(("operator_secret", 10, operatorSetAt), (stored.WebhookSecret, stored.WebhookMaxConnections, stored.WebhookLastSetAt));
        // The sweep's setWebhook landed after the operator's; the stored state was applied again.
        Assert.Equal(("operator_secret", 10), (Harness.Telegram(bot).SecretToken, Harness.Telegram(bot).MaxConnections));
        Assert.Equal(CheckerHarness.ExpectedUrl(bot), Harness.Telegram(bot).Url);
    }

    [Fact]
    public async Task Operator_delete_during_a_repair_leaves_the_webhook_deleted()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.Telegram(bot).Url = "";
        var held = Harness.BotApi.Hold(CheckerHarness.Token(bot), "setWebhook");

        var sweep = Harness.SweepAsync();
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        await Harness.DeleteViaApiAsync(bot);
        held.Release();
        var report = await sweep;

        Assert.Equal(1, report.Superseded);
        var stored = await Harness.ReloadAsync(bot);
        Assert.False(stored.WebhookEnabled);
        Assert.Equal(CheckOutcome.Disabled, stored.LastCheckOutcome);
        Assert.Equal("", Harness.Telegram(bot).Url);
    }

    [Fact]
    public async Task Status_read_during_a_check_does_not_lose_the_checks_record()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.Telegram(bot).PendingUpdateCount = 9;
        var held = Harness.BotApi.Hold(CheckerHarness.Token(bot), "getWebhookInfo");

        var sweep = Harness.SweepAsync();
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        await Harness.Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookService>().GetStatusAsync(bot.BotId, default));
        held.Release();
        var report = await sweep;

        Assert.Equal(0, report.Superseded);
        Assert.True(report.Bots[0].Recorded);
        Assert.Equal(CheckOutcome.Healthy, (await Harness.ReloadAsync(bot)).LastCheckOutcome);
    }

    [Fact]
    public async Task Sweep_stops_starting_bots_when_its_time_budget_is_spent_and_reports_the_rest()
    {
        await using var harness = await CheckerHarness.StartAsync(new() { ["Checker:MaxConcurrency"] = "1", ["Checker:TimeBudget"] = "00:01:00" });
        var bots = new[] { await harness.Domain.AddBotAsync(), await harness.Domain.AddBotAsync(), await harness.Domain.AddBotAsync() };
        var holds = bots.Select(b => harness.BotApi.Hold(CheckerHarness.Token(b), "getWebhookInfo")).ToArray();

        var sweep = harness.SweepAsync();
        await Task.WhenAny(holds.Select(h => h.Arrived)).WaitAsync(TimeSpan.FromSeconds(10));
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        Array.ForEach(holds, h => h.Release());
        var report = await sweep;

        Assert.Equal(SweepStatus.BudgetExhausted, report.Status);
        Assert.Equal((1, 2), (report.Checked, report.LeftForNextSweep));
        Assert.Equal(2, (await harness.SweepAsync()).Checked);
    }

    [Fact]
    public async Task Checks_run_at_most_max_concurrency_at_a_time()
    {
        await using var harness = await CheckerHarness.StartAsync(new() { ["Checker:MaxConcurrency"] = "3" });
        harness.BotApi.Latency = TimeSpan.FromMilliseconds(20);
        for (var i = 0; i < 12; i++)
        {
            await harness.Domain.AddBotAsync();
        }

        var report = await harness.SweepAsync();

        Assert.Equal(12, report.Refreshed);
        Assert.InRange(harness.BotApi.PeakConcurrentCalls, 1, 3);
    }

    [Fact]
    public async Task Database_round_trips_grow_with_bots_per_batch_not_with_bots()
    {
        await using var harness = await CheckerHarness.StartAsync(new() { ["Checker:BatchSize"] = "10" });
        for (var i = 0; i < 40; i++)
        {
            await harness.Domain.AddBotAsync();
        }
        harness.Database.Reset();

        var report = await harness.SweepAsync();

        Assert.Equal(40, report.Refreshed);
        Assert.Equal(0, report.Superseded);
        // Lease, the look for credentials sharing a Telegram bot, 5 pages (the last one empty), 4 batched writes,
        // 4 batched history appends (every bot was set: a change), the sweep's log line, 3 prune statements (history,
        // sweep shards, sweep log), release, one grouped count of the fleet by state (metrics).
        Assert.Equal(1 + 1 + 5 + 4 + 4 + 1 + 3 + 1 + 1, harness.Database.Commands);
    }

    [Fact]
    public async Task Lease_row_names_the_holder_only_while_a_sweep_runs()
    {
        var bot = await Harness.AddSetBotAsync();
        var held = Harness.BotApi.Hold(CheckerHarness.Token(bot), "getWebhookInfo");

        var sweep = Harness.SweepAsync();
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        var during = await ReadLeaseAsync();
        held.Release();
        await sweep;
        var after = await ReadLeaseAsync();

        Assert.Contains(Environment.MachineName, during.Holder);
        Assert.Equal(Harness.Now.AddMinutes(6), during.ExpiresAt);
        Assert.Null(after.Holder);
    }

    private async Task<SweepLease> ReadLeaseAsync()
    {
        await using var db = Harness.Domain.NewDb();
        return await db.SweepLeases.AsNoTracking().SingleAsync(l => l.Name == SweepLease.CheckerLease);
    }
}
