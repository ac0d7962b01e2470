using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using WebhookFunctions.Domain;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Support;

/// <summary>
/// The domain library as a host composes it: a real SQLite file with the real migrations, the Bot API stand-in
/// over HTTP on 127.0.0.1, a FakeTimeProvider, and captured logs.
/// </summary>
internal sealed class DomainHarness : IAsyncDisposable
{
    public const string Domain = "https://hooks.example.test";

    private readonly string _folder;
    private readonly IConfiguration _configuration;
    private readonly bool _ownsFolderAndBotApi;
    private readonly string? _connectionString;

    private DomainHarness(string folder, IConfiguration configuration, bool owns, BotApiStandIn botApi, ServiceProvider services, FakeTimeProvider time, CapturingLoggerProvider logs)
    {
        _folder = folder;
        _configuration = configuration;
        _ownsFolderAndBotApi = owns;
        BotApi = botApi;
        Services = services;
        Time = time;
        Logs = logs;
        using var db = NewDb();
        _connectionString = db.Database.GetConnectionString();
    }

    public BotApiStandIn BotApi { get; }
    public ServiceProvider Services { get; }
    public FakeTimeProvider Time { get; }
    public CapturingLoggerProvider Logs { get; }

    public static async Task<DomainHarness> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "webhookfunctions-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var botApi = await BotApiStandIn.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["Database:SqlitePath"] = Path.Combine(folder, "webhooks.db"),
            ["Telegram:ApiBaseUrl"] = botApi.BaseUrl,
            ["Telegram:Timeout"] = "00:00:02",
            ["Webhook:Mode"] = "Domain",
            ["Webhook:Domain"] = Domain,
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var logs = new CapturingLoggerProvider();
        var provider = Compose(folder, configuration, time, logs, configure);
        await provider.MigrateWebhookDatabaseAsync();
        return new DomainHarness(folder, configuration, owns: true, botApi, provider, time, logs);
    }

    /// <summary>
    /// A second service provider on the same SQLite file, Bot API stand-in and clock: another replica of the service,
    /// sharing nothing with this one in memory.
    /// </summary>
    public Task<DomainHarness> StartReplicaAsync()
    {
        var time = Services.GetRequiredService<TimeProvider>();
        var logs = new CapturingLoggerProvider();
        var provider = Compose(_folder, _configuration, Time, logs, services => services.AddSingleton(time));
        return Task.FromResult(new DomainHarness(_folder, _configuration, owns: false, BotApi, provider, Time, logs));
    }

    private static ServiceProvider Compose(string folder, IConfiguration configuration, FakeTimeProvider time, CapturingLoggerProvider logs, Action<IServiceCollection>? configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment(folder));
        services.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<TimeProvider>(time);
        services.AddWebhookManagement(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A new context on the same database, for arranging and asserting outside the code under test.</summary>
    public WebhookDbContext NewDb() => Services.GetRequiredService<IDbContextFactory<WebhookDbContext>>().CreateDbContext();

    /// <summary>Stores an active Telegram credential and registers its token with the stand-in.</summary>
    public async Task<BotPlatformCredential> AddBotAsync(Action<BotPlatformCredential>? configure = null, string? token = null, bool knownToTelegram = true)
    {
        token ??= TestTokens.New();
        if (knownToTelegram)
        {
            BotApi.AddBot(token);
        }
        var now = Time.GetUtcNow().UtcDateTime;
        var credential = new BotPlatformCredential
        {
            Id = Guid.NewGuid(),
            BotId = Guid.NewGuid(),
            Credentials = BotToken.ToCredentialsJson(token),
            TelegramBotId = BotToken.TelegramBotId(token),
            CreatedAt = now,
            UpdatedAt = now,
        };
        configure?.Invoke(credential);
        await using var db = NewDb();
        db.Credentials.Add(credential);
        await db.SaveChangesAsync();
        return credential;
    }

    public async Task<BotPlatformCredential> ReloadAsync(Guid botId)
    {
        await using var db = NewDb();
        return await db.Credentials.AsNoTracking().SingleAsync(c => c.BotId == botId && c.IsActive);
    }

    /// <summary>Runs <paramref name="action"/> with services from a fresh scope, as one request would.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (!_ownsFolderAndBotApi)
        {
            return;
        }
        await BotApi.DisposeAsync();
        SqlitePool.Clear(_connectionString);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class TestHostEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";
        public string ApplicationName { get; set; } = "WebhookFunctions.Tests";
        public string ContentRootPath { get; set; } = root;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}

/// <summary>Well-formed, unique bot tokens that are easy to search for in logs and bodies.</summary>
internal static class TestTokens
{
    private static int _next = 100000;

    public static string New() => $"{Interlocked.Increment(ref _next)}:SECRETtokenPART{Guid.NewGuid():N}"[..40];
}
