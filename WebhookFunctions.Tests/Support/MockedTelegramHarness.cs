using Microsoft.Extensions.DependencyInjection;
using Moq;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.Tests.Support;

/// <summary>
/// <see cref="DomainHarness"/> with a Moq mock in place of <see cref="ITelegramGateway"/>: for tests about which Bot API
/// calls the service makes, with which arguments and in what order. What Telegram does with a call is the Bot API
/// stand-in's part, tested elsewhere; here Telegram accepts every call unless a test says otherwise.
/// </summary>
internal sealed class MockedTelegramHarness : IAsyncDisposable
{
    private MockedTelegramHarness(DomainHarness domain, Mock<ITelegramGateway> telegram)
    {
        Domain = domain;
        Telegram = telegram;
    }

    public DomainHarness Domain { get; }
    public Mock<ITelegramGateway> Telegram { get; }

    public static async Task<MockedTelegramHarness> StartAsync()
    {
        var telegram = new Mock<ITelegramGateway>();
        telegram.Setup(t => t.SetWebhookAsync(It.IsAny<string>(), It.IsAny<WebhookRegistration>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        telegram.Setup(t => t.DeleteWebhookAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        telegram.Setup(t => t.GetWebhookInfoAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(Holding(""));
        var domain = await DomainHarness.StartAsync(configure: services => services.AddSingleton(telegram.Object));
        return new MockedTelegramHarness(domain, telegram);
    }

    /// <summary>getWebhookInfo's answer for a webhook at <paramref name="url"/> ("" for none).</summary>
    public static TelegramWebhookInfo Holding(string url, int? maxConnections = null, IReadOnlyList<string>? allowedUpdates = null, DateTime? lastErrorDate = null) =>
        new(url, HasCustomCertificate: false, PendingUpdateCount: 0, IpAddress: null, lastErrorDate, lastErrorDate is null ? null : "Connection timed out",
            LastSynchronizationErrorDate: null, maxConnections, allowedUpdates);

    /// <summary>From now on getWebhookInfo answers <paramref name="info"/>.</summary>
    public void TelegramAnswers(TelegramWebhookInfo info) =>
        Telegram.Setup(t => t.GetWebhookInfoAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(info);

    /// <summary>A stored bot with a well-formed token; only the mock ever sees the token.</summary>
    public Task<BotPlatformCredential> AddBotAsync() => Domain.AddBotAsync(knownToTelegram: false);

    public static string Token(BotPlatformCredential bot) => BotToken.Read(bot.Credentials)!;

    public static string OurUrl(BotPlatformCredential bot) => $"{DomainHarness.Domain}/v1/api/webhooks/telegram/{bot.BotId}";

    public Task<WebhookStatus> SetAsync(BotPlatformCredential bot, WebhookConfig? config = null) =>
        Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookService>().SetWebhookAsync(bot.BotId, config, default));

    public Task<bool> DeleteAsync(BotPlatformCredential bot) =>
        Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookService>().DeleteWebhookAsync(bot.BotId, dropPendingUpdates: false, default));

    /// <summary>The next scheduled sweep, five minutes on.</summary>
    public async Task<SweepReport> NextSweepAsync()
    {
        Domain.Time.Advance(TimeSpan.FromMinutes(5));
        return await Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookChecker>().SweepAsync("test", default));
    }

    /// <summary>The Bot API calls made so far, in order, each with what matters about it.</summary>
    public IReadOnlyList<string> Calls() => [.. Telegram.Invocations.Select(call => call.Method.Name switch
    {
        nameof(ITelegramGateway.SetWebhookAsync) when call.Arguments[1] is WebhookRegistration r => $"setWebhook {r.SecretToken} drop={r.DropPendingUpdates}",
        nameof(ITelegramGateway.DeleteWebhookAsync) => $"deleteWebhook drop={call.Arguments[1]}",
        nameof(ITelegramGateway.GetWebhookInfoAsync) => "getWebhookInfo",
        var other => other,
    })];

    public ValueTask DisposeAsync() => Domain.DisposeAsync();
}
