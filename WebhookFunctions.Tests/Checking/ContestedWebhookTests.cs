using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.Tests.Checking;

// Another holder of a bot's token keeps moving its webhook: the checker marks the bot contested and backs off
// instead of repairing and losing on every sweep. The rival calls the stand-in's setWebhook/deleteWebhook over HTTP.
public sealed class ContestedWebhookTests : CheckerTestBase
{
    private const string RivalUrl = "https://rival.example.org/telegram/hook";

    private RivalClient Rival => Harness.Rival;

    /// <summary>The one bot's line in the next scheduled sweep.</summary>
    private async Task<BotCheckReport> NextSweepAsync(CheckerHarness? harness = null) =>
        Assert.Single((await (harness ?? Harness).NextSweepAsync()).Bots);

    private Task<BotPlatformCredential> ContestedBotAsync() => Harness.AddContestedBotAsync(RivalUrl);

    [Fact]
    public async Task Rival_moving_the_webhook_again_after_the_checkers_repair_marks_the_bot_contested()
    {
        var bot = await Harness.AddSetBotAsync();
        var token = CheckerHarness.Token(bot);
        await Rival.SetWebhookAsync(token, RivalUrl);

        var first = await NextSweepAsync();
        var afterFirst = await Harness.ReloadAsync(bot);
        await Rival.SetWebhookAsync(token, RivalUrl);
        Harness.BotApi.ClearCalls();
        var second = await NextSweepAsync();

        Assert.Equal((CheckOutcome.Refreshed, SnakeCase.Of(RefreshReason.UrlDrifted)), (first.Outcome, first.Reason));
        Assert.Null(afterFirst.ContestedAt);
        Assert.Equal((CheckOutcome.Contested, SnakeCase.Of(ContestReason.RivalUrl)), (second.Outcome, second.Reason));
        Assert.Empty(Harness.BotApi.CallsOf("setWebhook"));
        Assert.Equal(RivalUrl, Harness.Telegram(bot).Url);
        var stored = await Harness.ReloadAsync(bot);
        Assert.Equal(Harness.Now, stored.ContestedAt);
        Assert.Equal("https://rival.example.org", stored.ContestedHost);
        Assert.Equal(CheckOutcome.Contested, stored.LastCheckOutcome);
    }

    [Theory]
    [InlineData(2, 1, true)]
    [InlineData(2, 2, true)]
    [InlineData(2, 3, false)]
    [InlineData(3, 3, true)]
    [InlineData(3, 4, false)]
    public async Task Only_a_move_within_the_configured_number_of_sweeps_after_the_repair_is_a_contest(int afterSweeps, int movedAtSweep, bool contested)
    {
        await using var harness = await CheckerHarness.StartAsync(new() { ["Checker:ContestedAfterSweeps"] = afterSweeps.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var rival = harness.Rival;
        var bot = await harness.AddSetBotAsync();
        await rival.SetWebhookAsync(CheckerHarness.Token(bot), RivalUrl);
        Assert.Equal(CheckOutcome.Refreshed, (await NextSweepAsync(harness)).Outcome);
        for (var sweep = 1; sweep < movedAtSweep; sweep++)
        {
            Assert.Equal(CheckOutcome.Healthy, (await NextSweepAsync(harness)).Outcome);
        }

        await rival.SetWebhookAsync(CheckerHarness.Token(bot), RivalUrl);
        var line = await NextSweepAsync(harness);

        Assert.Equal(contested ? CheckOutcome.Contested : CheckOutcome.Refreshed, line.Outcome);
        Assert.Equal(contested, (await harness.ReloadAsync(bot)).ContestedAt is not null);
    }

    [Fact]
    public async Task Rival_deleting_the_webhook_after_the_repair_marks_the_bot_contested_and_keeps_pending_updates()
    {
        var bot = await Harness.AddSetBotAsync();
        var token = CheckerHarness.Token(bot);
        await Rival.DeleteWebhookAsync(token);
        Assert.Equal(SnakeCase.Of(RefreshReason.UrlMissing), (await NextSweepAsync()).Reason);
        await Rival.DeleteWebhookAsync(token);
        Harness.Telegram(bot).PendingUpdateCount = 17;
        Harness.BotApi.ClearCalls();

        var line = await NextSweepAsync();

        Assert.Equal((CheckOutcome.Contested, SnakeCase.Of(ContestReason.RivalDeleted)), (line.Outcome, line.Reason));
        Assert.Equal(["getWebhookInfo"], Harness.BotApi.Calls.Select(c => c.Method));
        Assert.Equal(17, Harness.Telegram(bot).PendingUpdateCount);
        var stored = await Harness.ReloadAsync(bot);
        Assert.NotNull(stored.ContestedAt);
        Assert.Null(stored.ContestedHost);
    }

    [Fact]
    public async Task Contest_warning_names_only_the_rivals_scheme_and_host()
    {
        var bot = await Harness.AddSetBotAsync();
        var token = CheckerHarness.Token(bot);
        const string secretUrl = "https://user:PASSWORDpart@rival.example.org:8443/hooks/SECRETpathPART?key=SECRETqueryPART";
        await Rival.SetWebhookAsync(token, secretUrl);
        await NextSweepAsync();
        await Rival.SetWebhookAsync(token, secretUrl);

        await NextSweepAsync();

        var warning = Assert.Single(Harness.Domain.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("contested", StringComparison.Ordinal));
        Assert.Contains(bot.BotId.ToString(), warning);
        Assert.Contains("RivalHost=https://rival.example.org ", warning);
        foreach (var secret in new[] { "PASSWORDpart", "8443", "SECRETpathPART", "SECRETqueryPART", "/hooks", token.Split(':')[1] })
        {
            Assert.DoesNotContain(secret, Harness.Domain.Logs.AllText);
        }
        Assert.Equal("https://rival.example.org", (await Harness.ReloadAsync(bot)).ContestedHost);
    }

    [Fact]
    public async Task Contested_bot_is_not_repaired_while_backing_off_and_the_backoff_doubles_up_to_the_cap()
    {
        await using var harness = await CheckerHarness.StartAsync(new() { ["Checker:ContestedMaxBackoffSweeps"] = "4" });
        var rival = harness.Rival;
        var bot = await harness.AddSetBotAsync();
        var token = CheckerHarness.Token(bot);
        var reasons = new List<string?>();
        var callsInBackoff = 0;
        for (var sweep = 0; sweep < 20; sweep++)
        {
            // A rival that takes the webhook back whenever it finds it gone.
            if (harness.Telegram(bot).Url != RivalUrl)
            {
                await rival.SetWebhookAsync(token, RivalUrl);
            }
            harness.BotApi.ClearCalls();
            var line = await NextSweepAsync(harness);
            reasons.Add(line.Reason);
            callsInBackoff += line.Reason == SnakeCase.Of(ContestReason.ContestBackoff) ? harness.BotApi.Calls.Count : 0;
            Assert.Equal(line.Reason == SnakeCase.Of(ContestReason.ContestProbe) || line.Reason == SnakeCase.Of(RefreshReason.UrlDrifted), harness.BotApi.CallsOf("setWebhook").Any());
            Assert.All(harness.BotApi.CallsOf("setWebhook"), c => Assert.False(c.Arguments.ContainsKey("drop_pending_updates") && c.Arguments["drop_pending_updates"]!.ToString() is "true" or "True"));
        }

        Assert.Equal(0, callsInBackoff);
        Assert.Equal([SnakeCase.Of(RefreshReason.UrlDrifted), SnakeCase.Of(ContestReason.RivalUrl)], reasons.Take(2));
        Assert.Equal([1, 2, 4, 4], BackoffRuns(reasons));
        Assert.Equal(4, (await harness.ReloadAsync(bot)).ContestBackoffSweeps);
    }

    /// <summary>Lengths of the runs of backoff sweeps that a probe ends.</summary>
    private static List<int> BackoffRuns(List<string?> reasons)
    {
        var runs = new List<int>();
        var run = 0;
        foreach (var reason in reasons)
        {
            if (reason == SnakeCase.Of(ContestReason.ContestBackoff))
            {
                run++;
            }
            else if (reason == SnakeCase.Of(ContestReason.ContestProbe))
            {
                runs.Add(run);
                run = 0;
            }
        }
        return runs;
    }

    [Fact]
    public async Task Explicit_set_through_the_api_ends_the_contest()
    {
        var bot = await ContestedBotAsync();

        var status = await Harness.SetViaApiAsync(bot);
        var line = await NextSweepAsync();

        Assert.False(status.Contested);
        Assert.Null(status.RivalHost);
        var stored = await Harness.ReloadAsync(bot);
        Assert.Null(stored.ContestedAt);
        Assert.Equal((0, 0), (stored.ContestBackoffSweeps, stored.ContestSkipSweeps));
        Assert.Equal(CheckOutcome.Healthy, line.Outcome);
        Assert.Equal(CheckerHarness.ExpectedUrl(bot), Harness.Telegram(bot).Url);
    }

    [Fact]
    public async Task Rival_that_stopped_lets_the_bot_return_to_normal_once_the_probes_repair_stays_ours()
    {
        var bot = await ContestedBotAsync();

        var backoff = await NextSweepAsync();
        var probe = await NextSweepAsync();
        var watch = await NextSweepAsync();
        var afterWatch = await Harness.ReloadAsync(bot);
        var ended = await NextSweepAsync();

        Assert.Equal(SnakeCase.Of(ContestReason.ContestBackoff), backoff.Reason);
        Assert.Equal((CheckOutcome.Contested, SnakeCase.Of(ContestReason.ContestProbe)), (probe.Outcome, probe.Reason));
        Assert.Equal((CheckOutcome.Contested, SnakeCase.Of(ContestReason.ContestWatch)), (watch.Outcome, watch.Reason));
        Assert.NotNull(afterWatch.ContestedAt);
        Assert.Equal((CheckOutcome.Healthy, SnakeCase.Of(ContestReason.ContestEnded)), (ended.Outcome, ended.Reason));
        Assert.Null((await Harness.ReloadAsync(bot)).ContestedAt);
        Assert.Equal(CheckerHarness.ExpectedUrl(bot), Harness.Telegram(bot).Url);
    }

    [Fact]
    public async Task Probe_that_finds_the_webhook_ours_again_ends_the_contest_without_a_set()
    {
        var bot = await ContestedBotAsync();
        await Rival.SetWebhookAsync(CheckerHarness.Token(bot), CheckerHarness.ExpectedUrl(bot));
        await NextSweepAsync();
        Harness.BotApi.ClearCalls();

        var probe = await NextSweepAsync();

        Assert.Equal((CheckOutcome.Healthy, SnakeCase.Of(ContestReason.ContestEnded)), (probe.Outcome, probe.Reason));
        Assert.Empty(Harness.BotApi.CallsOf("setWebhook"));
        Assert.Null((await Harness.ReloadAsync(bot)).ContestedAt);
    }

    [Fact]
    public async Task Operators_delete_after_a_repair_is_not_a_rival()
    {
        var bot = await Harness.AddSetBotAsync();
        await Rival.SetWebhookAsync(CheckerHarness.Token(bot), RivalUrl);
        await NextSweepAsync();
        Harness.Telegram(bot).PendingUpdateCount = 5;

        await Harness.DeleteViaApiAsync(bot);
        Harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var report = await Harness.SweepAsync();

        Assert.Equal(0, report.Checked);
        var stored = await Harness.ReloadAsync(bot);
        Assert.Null(stored.ContestedAt);
        Assert.Equal(CheckOutcome.Disabled, stored.LastCheckOutcome);
        Assert.Equal("", Harness.Telegram(bot).Url);
        Assert.Equal(5, Harness.Telegram(bot).PendingUpdateCount);
    }

    [Fact]
    public async Task Operators_delete_of_a_contested_bot_ends_the_contest_and_stops_the_checks()
    {
        var bot = await ContestedBotAsync();

        await Harness.DeleteViaApiAsync(bot);
        Harness.Clock.Advance(TimeSpan.FromMinutes(30));
        var report = await Harness.SweepAsync();

        Assert.Equal(0, report.Checked);
        Assert.Null((await Harness.ReloadAsync(bot)).ContestedAt);
    }

    [Fact]
    public async Task Status_shows_the_contest_and_the_rivals_host()
    {
        var bot = await ContestedBotAsync();

        var status = await Harness.Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookService>().GetStatusAsync(bot.BotId, default));

        Assert.True(status.Contested);
        Assert.Equal(bot.ContestedAt, status.ContestedSince);
        Assert.Equal("https://rival.example.org", status.RivalHost);
        Assert.Equal(1, status.SweepsUntilProbe);
        Assert.Equal(CheckOutcome.Contested, status.LastCheckOutcome);
    }

    [Fact]
    public async Task Sweep_report_counts_contested_bots()
    {
        var bot = await ContestedBotAsync();
        await Harness.AddSetBotAsync();

        Harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var report = await Harness.SweepAsync();

        Assert.Equal((2, 1, 1), (report.Checked, report.Contested, report.Healthy));
        Assert.Equal((CheckOutcome.Contested, SnakeCase.Of(ContestReason.ContestBackoff)), report.Bots.Where(b => b.BotId == bot.BotId).Select(b => (b.Outcome, b.Reason)).Single());
        Assert.Contains(Harness.Domain.Logs.Lines, l => l.Contains("Webhook sweep (test) completed", StringComparison.Ordinal) && l.Contains("Contested=1", StringComparison.Ordinal));
    }
}
