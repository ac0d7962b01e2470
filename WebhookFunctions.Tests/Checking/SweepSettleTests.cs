using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Credentials;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Webhooks;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Checking;

// An operator's call that did not settle (Telegram failed, the process died between recording the intent and calling
// Telegram, the calls kept racing) is finished by the next sweep, whatever auto-refresh says, and never touches a URL
// that is not this service's.
public sealed class SweepSettleTests : CheckerTestBase
{
    [Fact]
    public async Task Sweep_deletes_our_webhook_that_an_unsettled_delete_left_at_telegram()
    {
        var bot = await Harness.AddSetBotAsync();
        await RecordDeleteWithoutCallingTelegramAsync(bot);

        var report = await Harness.SweepAsync();

        Assert.Equal("", Harness.Telegram(bot).Url);
        Assert.Equal(1, report.Disabled);
        Assert.Equal((CheckOutcome.Disabled, SnakeCase.Of(RefreshReason.WebhookRemoved)), (report.Bots[0].Outcome, report.Bots[0].Reason));
        var stored = await Harness.ReloadAsync(bot);
        Assert.Equal((stored.IntentGeneration, false, CheckOutcome.Disabled), (stored.AppliedGeneration, stored.WebhookEnabled, stored.LastCheckOutcome));
        Assert.Null(stored.WebhookUrl);
        Assert.Equal(0, (await SweepLaterAsync()).Checked);
    }

    [Fact]
    public async Task Sweep_never_deletes_a_webhook_that_is_not_ours()
    {
        var bot = await Harness.AddSetBotAsync();
        await RecordDeleteWithoutCallingTelegramAsync(bot);
        Harness.Telegram(bot).Url = "https://another-deployment.example/v1/api/webhooks/telegram/" + bot.BotId;
        Harness.BotApi.ClearCalls();

        var report = await Harness.SweepAsync();

        Assert.Equal("https://another-deployment.example/v1/api/webhooks/telegram/" + bot.BotId, Harness.Telegram(bot).Url);
        Assert.Equal(SnakeCase.Of(RefreshReason.NothingToRemove), report.Bots[0].Reason);
        Assert.Empty(Harness.BotApi.CallsOf("deleteWebhook"));
        var stored = await Harness.ReloadAsync(bot);
        Assert.Equal(stored.IntentGeneration, stored.AppliedGeneration);
    }

    [Fact]
    public async Task Deactivation_whose_telegram_delete_failed_is_finished_by_the_next_sweep()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.BotApi.Fail(CheckerHarness.Token(bot), "deleteWebhook", Fault.ServerError());
        var deactivation = await Harness.Domain.InScopeAsync(sp => sp.GetRequiredService<CredentialService>().DeactivateAsync(bot.BotId, default));
        Assert.False(deactivation.WebhookDeleted);
        Assert.Equal(CheckerHarness.ExpectedUrl(bot), Harness.Telegram(bot).Url);

        var report = await Harness.SweepAsync();

        Assert.Equal("", Harness.Telegram(bot).Url);
        Assert.Equal((CheckOutcome.Disabled, SnakeCase.Of(RefreshReason.WebhookRemoved)), (report.Bots.Single().Outcome, report.Bots.Single().Reason));
    }

    [Fact]
    public async Task Unsettled_deactivation_leaves_the_webhook_of_a_later_credential_for_the_same_telegram_bot()
    {
        var bot = await Harness.AddSetBotAsync();
        Harness.BotApi.Fail(CheckerHarness.Token(bot), "deleteWebhook", Fault.ServerError());
        await Harness.Domain.InScopeAsync(sp => sp.GetRequiredService<CredentialService>().DeactivateAsync(bot.BotId, default));
        await Harness.Domain.InScopeAsync(sp => sp.GetRequiredService<CredentialService>().RegisterAsync(bot.BotId,
            new CredentialRegistration { Platform = "telegram", Credentials = new CredentialSecrets { Token = CheckerHarness.Token(bot) } }, default));
        await Harness.SetViaApiAsync(bot);
        Harness.Clock.Advance(TimeSpan.FromMinutes(5));
        Harness.BotApi.ClearCalls();

        await Harness.SweepAsync();

        Assert.Equal(CheckerHarness.ExpectedUrl(bot), Harness.Telegram(bot).Url);
        Assert.Empty(Harness.BotApi.CallsOf("deleteWebhook"));
    }

    [Fact]
    public async Task Unsettled_set_is_applied_with_the_stored_secret_even_when_telegram_shows_our_url()
    {
        var bot = await Harness.AddSetBotAsync(new WebhookConfig { SecretToken = "stored_secret" });
        // A set whose answer timed out but which Telegram applied, undone in the database: Telegram holds its secret.
        Harness.Telegram(bot).SecretToken = "secret_of_the_timed_out_call";
        await using (var db = Harness.Domain.NewDb())
        {
            await db.Credentials.Where(c => c.Id == bot.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.IntentGeneration, c => c.IntentGeneration + 1));
        }

        var report = await Harness.SweepAsync();

        Assert.Equal((CheckOutcome.Refreshed, SnakeCase.Of(RefreshReason.OperatorCallUnsettled)), (report.Bots[0].Outcome, report.Bots[0].Reason));
        Assert.Equal("stored_secret", Harness.Telegram(bot).SecretToken);
        var stored = await Harness.ReloadAsync(bot);
        Assert.Equal(stored.IntentGeneration, stored.AppliedGeneration);
    }

    [Fact]
    public async Task Unsettled_call_is_finished_even_with_auto_refresh_off()
    {
        var bot = await Harness.AddSetBotAsync(configure: c => c.WebhookAutoRefresh = false);
        await RecordDeleteWithoutCallingTelegramAsync(bot);

        await Harness.SweepAsync();

        Assert.Equal("", Harness.Telegram(bot).Url);
    }

    /// <summary>What a delete records before it calls Telegram, as if the process died right after.</summary>
    private async Task RecordDeleteWithoutCallingTelegramAsync(BotPlatformCredential bot)
    {
        await using var db = Harness.Domain.NewDb();
        await db.Credentials.Where(c => c.Id == bot.Id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.WebhookEnabled, false)
            .SetProperty(c => c.LastCheckOutcome, CheckOutcome.Disabled)
            .SetProperty(c => c.IntentGeneration, c => c.IntentGeneration + 1)
            .SetProperty(c => c.ConcurrencyStamp, Guid.NewGuid()));
    }

    private Task<SweepReport> SweepLaterAsync()
    {
        Harness.Clock.Advance(TimeSpan.FromMinutes(5));
        return Harness.SweepAsync();
    }
}
