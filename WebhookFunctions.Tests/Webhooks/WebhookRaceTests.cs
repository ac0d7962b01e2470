using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Credentials;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Webhooks;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Webhooks;

// Operator calls racing on one bot. The bad interleavings are forced with gates in the Bot API stand-in (a call held
// before Telegram applies it, or applied at once with its answer held), never with sleeps. The operator's last call is
// the one made last: while the earlier one was already at Telegram.
public sealed class WebhookRaceTests : IAsyncLifetime
{
    private DomainHarness _harness = null!;
    private DomainHarness _replica = null!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.StartAsync();
        _replica = await _harness.StartReplicaAsync();
    }

    public async Task DisposeAsync()
    {
        await _replica.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Set_made_while_an_earlier_delete_waits_for_its_answer_stands_in_the_database_and_at_telegram(bool setOnAnotherReplica)
    {
        var bot = await AddSetBotAsync();
        var deleteAnswer = _harness.BotApi.HoldAnswer(Token(bot), "deleteWebhook");

        var delete = Webhooks(_harness, s => s.DeleteWebhookAsync(bot.BotId, dropPendingUpdates: false, default));
        await deleteAnswer.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        await Webhooks(setOnAnotherReplica ? _replica : _harness, s => s.SetWebhookAsync(bot.BotId, new WebhookConfig { SecretToken = "last_call_secret" }, default));
        deleteAnswer.Release();
        await delete;

        var stored = await _harness.ReloadAsync(bot.BotId);
        Assert.True(stored.WebhookEnabled);
        Assert.Equal(stored.IntentGeneration, stored.AppliedGeneration);
        Assert.Equal((ExpectedUrl(bot), "last_call_secret"), (Telegram(bot).Url, Telegram(bot).SecretToken));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Set_that_reaches_telegram_after_a_later_delete_is_undone_at_telegram(bool deleteOnAnotherReplica)
    {
        var bot = await AddSetBotAsync();
        var setCall = _harness.BotApi.Hold(Token(bot), "setWebhook");

        var set = Webhooks(_harness, s => s.SetWebhookAsync(bot.BotId, null, default));
        await setCall.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        await Webhooks(deleteOnAnotherReplica ? _replica : _harness, s => s.DeleteWebhookAsync(bot.BotId, dropPendingUpdates: false, default));
        setCall.Release();
        await set;

        var stored = await _harness.ReloadAsync(bot.BotId);
        Assert.False(stored.WebhookEnabled);
        Assert.Equal(stored.IntentGeneration, stored.AppliedGeneration);
        Assert.Equal("", Telegram(bot).Url);
    }

    [Fact]
    public async Task Delete_whose_calls_keep_landing_after_eight_later_calls_still_leaves_telegram_at_the_last_one()
    {
        // The delete's call, then each of its re-applies, is held before Telegram applies it while the replica makes
        // a later call that settles at once; released, the held call lands last and undoes that call at Telegram.
        var bot = await AddSetBotAsync();
        var held = _harness.BotApi.Hold(Token(bot), "deleteWebhook");
        var delete = Webhooks(_harness, s => s.DeleteWebhookAsync(bot.BotId, dropPendingUpdates: false, default));
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        for (var later = 1; later <= 8; later++)
        {
            var set = later % 2 == 1;
            if (set)
            {
                await Webhooks(_replica, s => s.SetWebhookAsync(bot.BotId, new WebhookConfig { SecretToken = $"secret_{later}" }, default));
            }
            else
            {
                await Webhooks(_replica, s => s.DeleteWebhookAsync(bot.BotId, dropPendingUpdates: false, default));
            }
            if (later == 8)
            {
                held.Release();
                break;
            }
            // The delete's next call applies the replica's intent: a set, or a removal of the webhook Telegram holds.
            var next = _harness.BotApi.Hold(Token(bot), set ? "setWebhook" : "deleteWebhook");
            held.Release();
            await next.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
            held = next;
        }
        await delete;

        // The last call was a delete; the set the delete made for the seventh call landed after it and was undone.
        var stored = await _harness.ReloadAsync(bot.BotId);
        Assert.Equal((false, stored.IntentGeneration), (stored.WebhookEnabled, stored.AppliedGeneration));
        Assert.Equal("", Telegram(bot).Url);
    }

    [Fact]
    public async Task Set_recorded_from_a_copy_read_before_a_delete_settled_keeps_its_url()
    {
        // A set reads the row while a delete is at Telegram (its intent recorded, the URL still stored); the delete then
        // settles and forgets the URL; the set records its intent from what it read. It must not save a URL-less set.
        var bot = await AddSetBotAsync();
        var deleteAnswer = _harness.BotApi.HoldAnswer(Token(bot), "deleteWebhook");
        var delete = Webhooks(_harness, s => s.DeleteWebhookAsync(bot.BotId, dropPendingUpdates: false, default));
        await deleteAnswer.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        await using var db = _replica.NewDb();
        var copy = await db.GetActiveTelegramAsync(bot.BotId, default);

        deleteAnswer.Release();
        await delete;
        Assert.Null((await _harness.ReloadAsync(bot.BotId)).WebhookUrl);
        await db.RecordIntentAsync(copy, c =>
        {
            c.WebhookUrl = ExpectedUrl(bot);
            c.WebhookEnabled = true;
        }, DateTime.UtcNow, default);

        var stored = await _harness.ReloadAsync(bot.BotId);
        Assert.Equal((true, ExpectedUrl(bot)), (stored.WebhookEnabled, stored.WebhookUrl));
    }

    [Fact]
    public async Task Deactivation_while_a_set_is_at_telegram_leaves_no_webhook()
    {
        var bot = await AddSetBotAsync();
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        var setCall = _harness.BotApi.Hold(Token(bot), "setWebhook");

        var set = Webhooks(_harness, s => s.SetWebhookAsync(bot.BotId, null, default));
        await setCall.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        var deactivation = await _replica.InScopeAsync(sp => sp.GetRequiredService<CredentialService>().DeactivateAsync(bot.BotId, default));
        setCall.Release();

        // The set lost to the later deactivation, and says so: the bot has no active credential any more.
        await Assert.ThrowsAsync<BotNotFoundException>(() => set);
        Assert.True(deactivation.WebhookDeleted);
        Assert.Equal("", Telegram(bot).Url);
    }

    [Fact]
    public async Task Token_replaced_while_a_set_is_at_telegram_gets_the_webhook_under_the_new_token()
    {
        var bot = await AddSetBotAsync();
        var newToken = TestTokens.New();
        _harness.BotApi.AddBot(newToken);
        var setCall = _harness.BotApi.Hold(Token(bot), "setWebhook");

        var set = Webhooks(_harness, s => s.SetWebhookAsync(bot.BotId, null, default));
        await setCall.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        await _replica.InScopeAsync(sp => sp.GetRequiredService<CredentialService>().ReplaceAsync(bot.BotId,
            new CredentialUpdate { Credentials = new CredentialSecrets { Token = newToken } }, default));
        setCall.Release();
        await set;

        var stored = await _harness.ReloadAsync(bot.BotId);
        Assert.Equal(stored.IntentGeneration, stored.AppliedGeneration);
        Assert.Equal((ExpectedUrl(bot), stored.WebhookSecret), (_harness.BotApi.Bot(newToken).Url, _harness.BotApi.Bot(newToken).SecretToken));
    }

    [Fact]
    public async Task Set_telegram_refuses_restores_the_previous_intent_for_the_sweep_to_settle()
    {
        var bot = await AddSetBotAsync(new WebhookConfig { SecretToken = "first_secret" });
        var before = await _harness.ReloadAsync(bot.BotId);
        _harness.BotApi.Fail(Token(bot), "setWebhook", Fault.ServerError());

        await Assert.ThrowsAsync<Domain.Telegram.TelegramApiException>(() =>
            Webhooks(_harness, s => s.SetWebhookAsync(bot.BotId, new WebhookConfig { SecretToken = "refused_secret" }, default)));

        var stored = await _harness.ReloadAsync(bot.BotId);
        Assert.Equal(("first_secret", true), (stored.WebhookSecret, stored.WebhookEnabled));
        // A 5xx or a timeout may still have been applied: the next sweep sets the restored config again.
        Assert.True(stored.IntentGeneration > before.IntentGeneration);
        Assert.NotEqual(stored.IntentGeneration, stored.AppliedGeneration);
    }

    private async Task<BotPlatformCredential> AddSetBotAsync(WebhookConfig? config = null)
    {
        var bot = await _harness.AddBotAsync();
        await Webhooks(_harness, s => s.SetWebhookAsync(bot.BotId, config, default));
        return await _harness.ReloadAsync(bot.BotId);
    }

    private static Task<T> Webhooks<T>(DomainHarness host, Func<WebhookService, Task<T>> call) =>
        host.InScopeAsync(sp => call(sp.GetRequiredService<WebhookService>()));

    private static string Token(BotPlatformCredential bot) => BotToken.Read(bot.Credentials)!;

    private StandIns.BotState Telegram(BotPlatformCredential bot) => _harness.BotApi.Bot(Token(bot));

    private static string ExpectedUrl(BotPlatformCredential bot) => $"{DomainHarness.Domain}/v1/api/webhooks/telegram/{bot.BotId}";
}
