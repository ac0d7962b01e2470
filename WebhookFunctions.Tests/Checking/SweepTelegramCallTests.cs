using Moq;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Domain.Webhooks;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Checking;

// The Bot API calls a sweep makes, asserted on a mock of the gateway: a repair never drops pending updates (customers'
// messages) and never touches a webhook an operator deleted. The stand-in tests show what Telegram ends up holding.
public sealed class SweepTelegramCallTests : IAsyncLifetime
{
    private static readonly string[] OnlyMessages = ["message"];

    private static readonly WebhookConfig OperatorConfig = new()
    {
        DropPendingUpdates = true,
        SecretToken = "operator_secret",
        MaxConnections = 10,
        AllowedUpdates = ["message"],
    };

    private MockedTelegramHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MockedTelegramHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData("webhook gone")]
    [InlineData("max_connections changed")]
    [InlineData("delivery error since the set")]
    public async Task A_repair_after_an_operator_set_that_dropped_pending_updates_sets_the_stored_config_without_dropping(string breakage)
    {
        var bot = await _harness.AddBotAsync();
        var url = MockedTelegramHarness.OurUrl(bot);
        _harness.TelegramAnswers(MockedTelegramHarness.Holding(url, 10, ["message"]));
        await _harness.SetAsync(bot, OperatorConfig);
        _harness.TelegramAnswers(breakage switch
        {
            "webhook gone" => MockedTelegramHarness.Holding(""),
            "max_connections changed" => MockedTelegramHarness.Holding(url, 40, ["message"]),
            _ => MockedTelegramHarness.Holding(url, 10, ["message"], lastErrorDate: _harness.Domain.Time.GetUtcNow().UtcDateTime.AddMinutes(4)),
        });
        _harness.Telegram.Invocations.Clear();

        await _harness.NextSweepAsync();

        _harness.Telegram.Verify(t => t.SetWebhookAsync(It.IsAny<string>(), It.Is<WebhookRegistration>(r => r.DropPendingUpdates), It.IsAny<CancellationToken>()), Times.Never);
        _harness.Telegram.Verify(t => t.SetWebhookAsync(MockedTelegramHarness.Token(bot), It.Is<WebhookRegistration>(r =>
            r.Url == url && r.SecretToken == "operator_secret" && r.MaxConnections == 10 && r.AllowedUpdates!.SequenceEqual(OnlyMessages)),
            It.IsAny<CancellationToken>()), Times.Once);
        _harness.Telegram.Verify(t => t.DeleteWebhookAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Sweeps_make_no_telegram_call_for_a_webhook_an_operator_deleted()
    {
        var bot = await _harness.AddBotAsync();
        _harness.TelegramAnswers(MockedTelegramHarness.Holding(MockedTelegramHarness.OurUrl(bot)));
        await _harness.SetAsync(bot);
        await _harness.DeleteAsync(bot);
        _harness.TelegramAnswers(MockedTelegramHarness.Holding(""));
        _harness.Telegram.Invocations.Clear();

        await _harness.NextSweepAsync();
        await _harness.NextSweepAsync();

        // Not even a getWebhookInfo: the operator's delete settled, so the bot is not the sweep's business.
        _harness.Telegram.VerifyNoOtherCalls();
        Assert.False((await _harness.Domain.ReloadAsync(bot.BotId)).WebhookEnabled);
    }
}
