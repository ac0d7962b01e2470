using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Checking;

// Telegram failing in each documented way, injected by the stand-in over HTTP: one bot's failure never stops a sweep.
public sealed class SweepFaultTests : CheckerTestBase
{
    private static string Token(BotPlatformCredential bot) => CheckerHarness.Token(bot);

    [Fact]
    public async Task Server_error_fails_that_bot_and_the_sweep_goes_on()
    {
        var broken = await Harness.AddSetBotAsync();
        var fine = await Harness.AddSetBotAsync();
        Harness.BotApi.Fail(Token(broken), "getWebhookInfo", Fault.ServerError());

        var report = await Harness.SweepAsync();

        Assert.Equal((2, 1, 1), (report.Checked, report.Healthy, report.Failed));
        var stored = await Harness.ReloadAsync(broken);
        Assert.Equal((CheckOutcome.Failed, "unavailable", 1), (stored.LastCheckOutcome, stored.LastCheckReason, stored.ConsecutiveFailures));
        Assert.Contains("500", stored.LastError);
        Assert.Equal(CheckOutcome.Healthy, (await Harness.ReloadAsync(fine)).LastCheckOutcome);
    }

    [Fact]
    public async Task Consecutive_failures_count_up_and_a_good_check_resets_them()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.BotApi.Fail(Token(bot), "getWebhookInfo", Fault.ServerError());
        Harness.BotApi.Fail(Token(bot), "getWebhookInfo", Fault.BadGatewayHtml());

        await Harness.SweepAsync();
        Harness.Clock.Advance(TimeSpan.FromMinutes(5));
        await Harness.SweepAsync();
        var afterTwo = await Harness.ReloadAsync(bot);
        Harness.Clock.Advance(TimeSpan.FromMinutes(5));
        await Harness.SweepAsync();
        var afterGood = await Harness.ReloadAsync(bot);

        Assert.Equal(2, afterTwo.ConsecutiveFailures);
        Assert.Equal((0, null, CheckOutcome.Healthy), (afterGood.ConsecutiveFailures, afterGood.LastError, afterGood.LastCheckOutcome));
    }

    [Fact]
    public async Task Failed_repair_is_recorded_with_telegrams_description()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.Telegram(bot).Url = "";
        Harness.BotApi.Fail(Token(bot), "setWebhook", Fault.BadRequest("Bad Request: bad webhook: Failed to resolve host"));

        var report = await Harness.SweepAsync();

        Assert.Equal((CheckOutcome.Failed, "bad_request"), (report.Bots[0].Outcome, report.Bots[0].Reason));
        Assert.Equal("Bad Request: bad webhook: Failed to resolve host", (await Harness.ReloadAsync(bot)).LastError);
    }

    [Fact]
    public async Task Timeout_fails_that_bot_as_a_timeout()
    {
        await using var harness = await CheckerHarness.StartAsync(new() { ["Telegram:Timeout"] = "00:00:01" });
        var bot = await harness.AddSetBotAsync();
        harness.BotApi.Fail(Token(bot), "getWebhookInfo", Fault.Timeout(TimeSpan.FromSeconds(10)));

        var report = await harness.SweepAsync();

        Assert.Equal((CheckOutcome.Failed, "timeout"), (report.Bots[0].Outcome, report.Bots[0].Reason));
        Assert.Equal(1, (await harness.ReloadAsync(bot)).ConsecutiveFailures);
    }

    [Fact]
    public async Task Short_rate_limit_is_waited_out_through_the_time_provider_then_checked()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.BotApi.Fail(Token(bot), "getWebhookInfo", Fault.TooManyRequests(3));
        Harness.BotApi.ClearCalls();

        var sweep = Harness.SweepAsync();
        await SkipLeaseRenewalTimerAsync();
        var wait = await Harness.Time.NextTimerAsync();
        Assert.False(sweep.IsCompleted);
        Harness.Clock.Advance(wait);
        var report = await sweep;

        Assert.Equal(TimeSpan.FromSeconds(3), wait);
        Assert.Equal(CheckOutcome.Healthy, report.Bots[0].Outcome);
        Assert.Equal(2, Harness.BotApi.CallsOf("getWebhookInfo").Count());
    }

    [Fact]
    public async Task Long_rate_limit_defers_the_bot_without_counting_a_failure()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.BotApi.Fail(Token(bot), "getWebhookInfo", Fault.TooManyRequests(30));

        var report = await Harness.SweepAsync();

        Assert.Equal((1, 0), (report.Deferred, report.Failed));
        var stored = await Harness.ReloadAsync(bot);
        Assert.Equal((CheckOutcome.Deferred, "rate_limited", 0), (stored.LastCheckOutcome, stored.LastCheckReason, stored.ConsecutiveFailures));
        Assert.Contains("retry after 30", stored.LastError);
    }

    [Fact]
    public async Task Rate_limit_again_after_the_wait_defers_the_bot()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.BotApi.Fail(Token(bot), "getWebhookInfo", Fault.TooManyRequests(2));
        Harness.BotApi.Fail(Token(bot), "getWebhookInfo", Fault.TooManyRequests(2));

        var sweep = Harness.SweepAsync();
        await SkipLeaseRenewalTimerAsync();
        Harness.Clock.Advance(await Harness.Time.NextTimerAsync());
        var report = await sweep;

        Assert.Equal(CheckOutcome.Deferred, report.Bots[0].Outcome);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(404)]
    public async Task Rejected_token_is_marked_and_the_bot_left_alone(int status)
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.BotApi.Fail(Token(bot), "getWebhookInfo", status == 401 ? Fault.Unauthorized() : Fault.NotFound());

        var first = await Harness.SweepAsync();
        Harness.Clock.Advance(TimeSpan.FromMinutes(5));
        Harness.BotApi.ClearCalls();
        var second = await Harness.SweepAsync();

        Assert.Equal(1, first.TokenRejected);
        var stored = await Harness.ReloadAsync(bot);
        Assert.True(stored.TokenRejected);
        Assert.Equal(CheckOutcome.TokenRejected, stored.LastCheckOutcome);
        Assert.Equal(0, second.Checked);
        Assert.Empty(Harness.BotApi.Calls);
    }

    [Fact]
    public async Task Token_rejected_bot_is_checked_again_once_its_token_is_replaced()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.BotApi.Revoke(Token(bot));
        await Harness.SweepAsync();
        Harness.Clock.Advance(TimeSpan.FromMinutes(5));

        // What token rotation (PUT .../platforms/telegram) does: a new token, and the rejection forgotten.
        var rotated = TestTokens.New();
        Harness.BotApi.AddBot(rotated);
        await using (var db = Harness.Domain.NewDb())
        {
            await db.Credentials.Where(c => c.Id == bot.Id).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Credentials, BotToken.ToCredentialsJson(rotated))
                .SetProperty(c => c.TokenRejected, false));
        }
        var report = await Harness.SweepAsync();

        Assert.Equal((CheckOutcome.Refreshed, SnakeCase.Of(RefreshReason.UrlMissing)), (report.Bots[0].Outcome, report.Bots[0].Reason));
        Assert.Equal(CheckerHarness.ExpectedUrl(bot), Harness.BotApi.Bot(rotated).Url);
    }

    [Fact]
    public async Task Credential_without_a_well_formed_token_fails_without_calling_telegram()
    {
        await Harness.Domain.AddBotAsync(c => c.Credentials = "{\"token\":\"nope\"}");

        var report = await Harness.SweepAsync();

        Assert.Equal((CheckOutcome.Failed, SnakeCase.Of(FailureClass.InvalidCredential)), (report.Bots[0].Outcome, report.Bots[0].Reason));
        Assert.Empty(Harness.BotApi.Calls);
    }

    [Fact]
    public async Task Unresolvable_webhook_url_checks_nothing_and_says_why()
    {
        await using var harness = await CheckerHarness.StartAsync(new()
        {
            ["Webhook:Mode"] = "Tunnel",
            ["Ngrok:ApiUrl"] = "http://127.0.0.1:9",
            ["Ngrok:Path"] = "/nonexistent/ngrok",
        });
        var bot = await harness.Domain.AddBotAsync();

        var report = await harness.SweepAsync();

        Assert.Equal(SweepStatus.UrlUnavailable, report.Status);
        Assert.Contains("ngrok", report.Detail);
        Assert.Equal(0, report.Checked);
        Assert.Empty(harness.BotApi.Calls);
        Assert.Null((await harness.ReloadAsync(bot)).LastCheckOutcome);
    }

    [Fact]
    public async Task No_log_line_or_report_holds_a_token_or_a_secret()
    {
        var bot = await Harness.AddSetBotAsync(new() { SecretToken = "SweepLogProbeSecret" });
        var revoked = await Harness.Domain.AddBotAsync(knownToTelegram: false);
        var broken = await Harness.AddSetBotAsync();
        Harness.Telegram(bot).Url = "";
        Harness.BotApi.Fail(Token(broken), "getWebhookInfo", Fault.BadGatewayHtml());

        var report = await Harness.SweepAsync();

        var text = Harness.Domain.Logs.AllText + System.Text.Json.JsonSerializer.Serialize(report);
        Assert.Contains("Refreshed the webhook of bot", text);
        foreach (var token in new[] { Token(bot), Token(revoked), Token(broken) })
        {
            Assert.DoesNotContain(token.Split(':')[1], text);
        }
        Assert.DoesNotContain("SweepLogProbeSecret", text);
    }

    /// <summary>The first timer a sweep starts is its lease renewal (every third of Checker:LeaseDuration), not a wait.</summary>
    private async Task SkipLeaseRenewalTimerAsync() => Assert.Equal(TimeSpan.FromMinutes(2), await Harness.Time.NextTimerAsync());
}
