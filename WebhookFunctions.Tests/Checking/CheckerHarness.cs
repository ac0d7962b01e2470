using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Webhooks;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Checking;

/// <summary>
/// <see cref="DomainHarness"/> for checker tests: the database commands are counted, timers are observable, and
/// Telegram calls may be held for a while (30 s client timeout) so races can be ordered with gates.
/// </summary>
internal sealed class CheckerHarness : IAsyncDisposable
{
    private CheckerHarness(DomainHarness domain, TimerWatchingTimeProvider time)
    {
        Domain = domain;
        Time = time;
    }

    private RivalClient? _rival;

    public DomainHarness Domain { get; }
    public TimerWatchingTimeProvider Time { get; }
    public FakeTimeProvider Clock => Time.Fake;
    public BotApiStandIn BotApi => Domain.BotApi;
    public CountingDbContextFactory Database => (CountingDbContextFactory)Domain.Services.GetRequiredService<IDbContextFactory<WebhookDbContext>>();
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    public static async Task<CheckerHarness> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?> { ["Telegram:Timeout"] = "00:00:30" };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }
        TimerWatchingTimeProvider? time = null;
        var domain = await DomainHarness.StartAsync(values, services =>
        {
            var fake = (FakeTimeProvider)services.Last(d => d.ServiceType == typeof(TimeProvider)).ImplementationInstance!;
            time = new TimerWatchingTimeProvider(fake);
            services.AddSingleton<TimeProvider>(time);
            services.AddSingleton<IDbContextFactory<WebhookDbContext>>(sp => new CountingDbContextFactory(
                WebhookDbContextFactory.SqliteConnectionString(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, sp.GetRequiredService<IHostEnvironment>().ContentRootPath)));
        });
        return new CheckerHarness(domain, time!);
    }

    public static string ExpectedUrl(BotPlatformCredential bot) => $"{DomainHarness.Domain}/v1/api/webhooks/telegram/{bot.BotId}";

    public static string Token(BotPlatformCredential bot) => BotToken.Read(bot.Credentials)!;

    public StandIns.BotState Telegram(BotPlatformCredential bot) => BotApi.Bot(Token(bot));

    /// <summary>A bot whose webhook an operator set through the service, then left for longer than a sweep period.</summary>
    public async Task<BotPlatformCredential> AddSetBotAsync(WebhookConfig? config = null, Action<BotPlatformCredential>? configure = null)
    {
        var bot = await Domain.AddBotAsync(configure);
        await SetViaApiAsync(bot, config);
        Clock.Advance(TimeSpan.FromMinutes(5));
        return await Domain.ReloadAsync(bot.BotId);
    }

    public Task<WebhookStatus> SetViaApiAsync(BotPlatformCredential bot, WebhookConfig? config = null) =>
        Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookService>().SetWebhookAsync(bot.BotId, config, default));

    public Task<bool> DeleteViaApiAsync(BotPlatformCredential bot) =>
        Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookService>().DeleteWebhookAsync(bot.BotId, dropPendingUpdates: false, default));

    public Task<SweepReport> SweepAsync(string trigger = "test", CancellationToken cancellationToken = default) =>
        Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookChecker>().SweepAsync(trigger, cancellationToken));

    public Task<BotPlatformCredential> ReloadAsync(BotPlatformCredential bot) => Domain.ReloadAsync(bot.BotId);

    /// <summary>Another client holding the bots' tokens, calling the stand-in's Bot API over HTTP.</summary>
    public RivalClient Rival => _rival ??= new RivalClient(BotApi);

    /// <summary>The next scheduled sweep, five minutes on.</summary>
    public async Task<SweepReport> NextSweepAsync()
    {
        Clock.Advance(TimeSpan.FromMinutes(5));
        return await SweepAsync();
    }

    /// <summary>An operator set the webhook; a rival moved it; a sweep repaired it; the rival moved it again; a sweep found the bot contested.</summary>
    public async Task<BotPlatformCredential> AddContestedBotAsync(string rivalUrl = "https://rival.example.org/telegram/hook")
    {
        var bot = await AddSetBotAsync();
        await Rival.SetWebhookAsync(Token(bot), rivalUrl);
        await NextSweepAsync();
        await Rival.SetWebhookAsync(Token(bot), rivalUrl);
        await NextSweepAsync();
        var contested = await ReloadAsync(bot);
        return contested.ContestedAt is not null ? contested : throw new InvalidOperationException("The bot did not become contested.");
    }

    public async ValueTask DisposeAsync()
    {
        _rival?.Dispose();
        await Domain.DisposeAsync();
    }
}
