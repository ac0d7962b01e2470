using Moq;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Domain.Webhooks;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Webhooks;

// The order of the Bot API calls around an operator's call that fails or lands late, asserted on a mock of the gateway.
// WebhookRaceTests force the same kinds of interleaving through the Bot API stand-in and check what Telegram holds.
public sealed class WebhookServiceTelegramCallTests : IAsyncLifetime
{
    private MockedTelegramHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MockedTelegramHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_set_that_times_out_calls_nothing_more_and_the_next_sweep_sets_the_previous_config_again()
    {
        var bot = await _harness.AddBotAsync();
        _harness.TelegramAnswers(MockedTelegramHarness.Holding(MockedTelegramHarness.OurUrl(bot)));
        await _harness.SetAsync(bot, new WebhookConfig { SecretToken = "first_secret" });
        _harness.Telegram.Setup(t => t.SetWebhookAsync(It.IsAny<string>(), It.Is<WebhookRegistration>(r => r.SecretToken == "second_secret"), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TelegramApiException(TelegramFailure.Timeout, "setWebhook", "Telegram did not answer in time."));
        _harness.Telegram.Invocations.Clear();

        await Assert.ThrowsAsync<TelegramApiException>(() => _harness.SetAsync(bot, new WebhookConfig { SecretToken = "second_secret" }));
        var afterTheFailure = _harness.Calls();
        await _harness.NextSweepAsync();

        // No read-back after the failure; the timed-out set may have landed, so the sweep applies the restored config.
        Assert.Equal(["setWebhook second_secret drop=False"], afterTheFailure);
        Assert.Equal(["setWebhook second_secret drop=False", "getWebhookInfo", "setWebhook first_secret drop=False"], _harness.Calls());
    }

    [Fact]
    public async Task A_read_back_that_fails_after_the_set_keeps_the_set()
    {
        var bot = await _harness.AddBotAsync();
        _harness.Telegram.Setup(t => t.GetWebhookInfoAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TelegramApiException(TelegramFailure.Unavailable, "getWebhookInfo", "Bad Gateway"));

        await Assert.ThrowsAsync<TelegramApiException>(() => _harness.SetAsync(bot, new WebhookConfig { SecretToken = "landed_secret" }));

        // Telegram accepted the set; only the status read after it failed, so nothing is undone or called again.
        Assert.Equal(["setWebhook landed_secret drop=False", "getWebhookInfo"], _harness.Calls());
        var stored = await _harness.Domain.ReloadAsync(bot.BotId);
        Assert.Equal((MockedTelegramHarness.OurUrl(bot), "landed_secret", true), (stored.WebhookUrl, stored.WebhookSecret, stored.WebhookEnabled));
        Assert.Equal(stored.IntentGeneration, stored.AppliedGeneration);
    }

    [Fact]
    public async Task A_set_that_lands_after_a_later_set_is_followed_by_the_later_sets_config_without_dropping_again()
    {
        var bot = await _harness.AddBotAsync();
        _harness.TelegramAnswers(MockedTelegramHarness.Holding(MockedTelegramHarness.OurUrl(bot)));
        var earlierArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var earlierLands = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _harness.Telegram.Setup(t => t.SetWebhookAsync(It.IsAny<string>(), It.Is<WebhookRegistration>(r => r.SecretToken == "earlier_secret"), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                earlierArrived.TrySetResult();
                return earlierLands.Task;
            });

        var earlier = _harness.SetAsync(bot, new WebhookConfig { SecretToken = "earlier_secret" });
        await earlierArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await _harness.SetAsync(bot, new WebhookConfig { SecretToken = "later_secret", DropPendingUpdates = true });
        earlierLands.SetResult();
        await earlier;

        // Telegram applied the earlier set last, so the later call's intent is applied once more; its drop is not repeated.
        Assert.Equal(["setWebhook earlier_secret drop=False", "setWebhook later_secret drop=True", "setWebhook later_secret drop=False"],
            _harness.Calls().Where(call => call.StartsWith("setWebhook", StringComparison.Ordinal)));
        var stored = await _harness.Domain.ReloadAsync(bot.BotId);
        Assert.Equal(("later_secret", stored.IntentGeneration), (stored.WebhookSecret, stored.AppliedGeneration));
    }
}
