using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Urls;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Benchmarks;

/// <summary>
/// N bots in a fresh SQLite file (migrated as the hosts do), known to an in-process Bot API stand-in with injected
/// latency: nine in ten healthy, one in ten with its webhook gone (a check plus a set).
/// </summary>
internal sealed class Fleet : IAsyncDisposable
{
    public const string Domain = "https://hooks.example.test";

    private readonly string _folder;

    private Fleet(string folder, BotApiStandIn botApi, IHost host)
    {
        _folder = folder;
        BotApi = botApi;
        Host = host;
    }

    public BotApiStandIn BotApi { get; }
    public IHost Host { get; }
    public IServiceProvider Services => Host.Services;
    public CountingDbContextFactory Database => (CountingDbContextFactory)Services.GetRequiredService<IDbContextFactory<WebhookDbContext>>();

    public static async Task<Fleet> CreateAsync(int bots, TimeSpan latency, Dictionary<string, string?> settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "webhookfunctions-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var botApi = await BotApiStandIn.StartAsync();
        var host = await StartHostAsync(folder, botApi.BaseUrl, settings);
        var fleet = new Fleet(folder, botApi, host);
        await fleet.SeedAsync(bots);
        botApi.Latency = latency;
        return fleet;
    }

    /// <summary>The library as the hosts compose it, on a SQLite file in <paramref name="folder"/>, migrated; no host's endpoints.</summary>
    internal static async Task<IHost> StartHostAsync(string folder, string botApiBaseUrl, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:SqlitePath"] = Path.Combine(folder, "webhooks.db"),
            ["Telegram:ApiBaseUrl"] = botApiBaseUrl,
            ["Webhook:Mode"] = "Domain",
            ["Webhook:Domain"] = Domain,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddWebhookManagement(builder.Configuration);
        builder.Services.AddSingleton<IDbContextFactory<WebhookDbContext>>(sp => new CountingDbContextFactory(
            WebhookDbContextFactory.SqliteConnectionString(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, folder)));
        var host = builder.Build();
        await host.Services.MigrateWebhookDatabaseAsync();
        return host;
    }

    /// <summary>
    /// A bot's credential as registered (its Telegram bot id filled in, as registration does: the audit for rows stored
    /// before that column has nothing to claim), webhook enabled at this service's URL, set and last checked at <paramref name="at"/>.
    /// </summary>
    internal static BotPlatformCredential Credential(Guid botId, string token, int index, DateTime at) => new()
    {
        Id = Guid.NewGuid(),
        BotId = botId,
        Credentials = BotToken.ToCredentialsJson(token),
        TelegramBotId = BotToken.TelegramBotId(token),
        CreatedAt = at,
        UpdatedAt = at,
        WebhookEnabled = true,
        WebhookUrl = WebhookUrlResolver.Combine(Domain, botId),
        WebhookSecret = $"secret{index}",
        WebhookLastSetAt = at,
        WebhookLastChecked = at,
        LastSweptAt = at,
    };

    private async Task SeedAsync(int count)
    {
        var now = DateTime.UtcNow.AddHours(-1);
        await using var db = Database.CreateDbContext();
        for (var i = 0; i < count; i++)
        {
            var token = $"{1_000_000 + i}:BENCHtoken{Guid.NewGuid():N}";
            var botId = Guid.NewGuid();
            var healthy = i % 10 != 0;
            var url = WebhookUrlResolver.Combine(Domain, botId);
            var state = BotApi.AddBot(token);
            state.Url = healthy ? url : "";
            state.MaxConnections = healthy ? 40 : null;
            db.Credentials.Add(Credential(botId, token, i, now));
        }
        await db.SaveChangesAsync();
        BotApi.ClearCalls();
        Database.Reset();
    }

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        await BotApi.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
