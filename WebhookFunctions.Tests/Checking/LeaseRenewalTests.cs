using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Tests.Checking;

// A sweep renews its lease every third of Checker:LeaseDuration, on the injected clock, for as long as it runs: a
// sweep slowed by 429 waits and slow calls keeps it, and one that lost it starts no further checks.
public sealed class LeaseRenewalTests : IAsyncLifetime
{
    private CheckerHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await CheckerHarness.StartAsync(new() { ["Checker:LeaseDuration"] = "00:00:30", ["Checker:MaxConcurrency"] = "1" });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Sweep_that_outlives_its_lease_keeps_it_and_a_sweep_on_another_replica_does_not_start_beside_it()
    {
        var bot = await _harness.AddSetBotAsync();
        var held = _harness.BotApi.Hold(CheckerHarness.Token(bot), "getWebhookInfo");
        await using var replica = await _harness.Domain.StartReplicaAsync();

        var sweep = _harness.SweepAsync();
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        // Four renewals: 40 s into a sweep whose lease, untouched, would have run out after 30.
        for (var renewal = 0; renewal < 4; renewal++)
        {
            Assert.Equal(TimeSpan.FromSeconds(10), await _harness.Time.NextTimerAsync());
            _harness.Clock.Advance(TimeSpan.FromSeconds(10));
        }
        await _harness.Time.NextTimerAsync();
        var beside = await replica.InScopeAsync(sp => sp.GetRequiredService<WebhookChecker>().SweepAsync("replica", default));
        held.Release();
        var report = await sweep;

        Assert.Equal(SweepStatus.AlreadyRunning, beside.Status);
        Assert.Equal((SweepStatus.Completed, 1), (report.Status, report.Checked));
        Assert.Null((await ReadLeaseAsync()).Holder);
    }

    [Fact]
    public async Task Sweep_that_lost_its_lease_starts_no_further_checks_and_says_so()
    {
        var bots = new[] { await _harness.AddSetBotAsync(), await _harness.AddSetBotAsync(), await _harness.AddSetBotAsync() };
        var holds = bots.Select(b => _harness.BotApi.Hold(CheckerHarness.Token(b), "getWebhookInfo")).ToArray();

        var sweep = _harness.SweepAsync();
        await Task.WhenAny(holds.Select(h => h.Arrived)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(10), await _harness.Time.NextTimerAsync());
        await TakeLeaseAsync("replica-2/1/other");
        // The first renewal, well before the lease would run out, finds it held by another sweep.
        _harness.Clock.Advance(TimeSpan.FromSeconds(10));
        await _harness.Domain.Logs.WaitForLineAsync("lease passed to another sweep");
        Array.ForEach(holds, h => h.Release());
        var report = await sweep;

        Assert.Equal(SweepStatus.LeaseLost, report.Status);
        Assert.True(report.Ran);
        Assert.Equal(1, report.Checked);
        Assert.Equal(2, report.LeftForNextSweep);
        Assert.Contains("lease", report.Detail);
        // The other holder's lease is not released by the sweep that lost it.
        Assert.Equal("replica-2/1/other", (await ReadLeaseAsync()).Holder);
    }

    private async Task TakeLeaseAsync(string holder)
    {
        await using var db = _harness.Domain.NewDb();
        var expiresAt = _harness.Now.AddMinutes(10);
        await db.SweepLeases.ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, expiresAt));
    }

    private async Task<SweepLease> ReadLeaseAsync()
    {
        await using var db = _harness.Domain.NewDb();
        return await db.SweepLeases.AsNoTracking().SingleAsync(l => l.Name == SweepLease.CheckerLease);
    }
}
