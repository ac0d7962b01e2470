using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.SelfHost;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Support;

/// <summary>
/// The self-host as Program builds it, served by Kestrel on 127.0.0.1 (real HTTP), on a fresh SQLite file,
/// talking to the Bot API stand-in. Settings are added before the app is composed, as configuration would be.
/// </summary>
internal sealed class SelfHostServer : IAsyncDisposable
{
    public const string ApiKey = "test-management-key-0123456789abcdef";
    public const string Domain = "https://hooks.example.test";

    private readonly string _folder;
    private readonly WebApplication _app;

    private SelfHostServer(string folder, WebApplication app, CapturingLoggerProvider logs, IReadOnlyDictionary<string, string?> settings)
    {
        _folder = folder;
        _app = app;
        Logs = logs;
        Settings = settings;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public Uri BaseAddress { get; }
    public CapturingLoggerProvider Logs { get; }

    /// <summary>Every setting the host was started with, so another host can be given exactly the same.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="botApi">The Bot API stand-in the host calls as Telegram.</param>
    /// <param name="settings">Settings over the defaults below.</param>
    /// <param name="environment">The host environment.</param>
    /// <param name="composed">Runs after the app is composed: exporters added here come after its own telemetry processors.</param>
    public static async Task<SelfHostServer> StartAsync(BotApiStandIn botApi, Dictionary<string, string?>? settings = null, string environment = "Test",
        Action<WebApplicationBuilder>? composed = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "webhookfunctions-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var values = new Dictionary<string, string?>
        {
            ["Database:SqlitePath"] = Path.Combine(folder, "webhooks.db"),
            ["Telegram:ApiBaseUrl"] = botApi.BaseUrl,
            ["Telegram:Timeout"] = "00:00:02",
            ["Webhook:Mode"] = "Domain",
            ["Webhook:Domain"] = Domain,
            ["Auth:ApiKeys:0"] = ApiKey,
            // Only contacted when an update is received; receiver tests point it at their Azurite.
            ["UpdateQueue:ConnectionString"] = "UseDevelopmentStorage=true",
            // Real time runs here: a scheduled sweep must not fire in the middle of a test.
            ["Checker:ScheduleEnabled"] = "false",
            // No queue to poll unless a test gives it Azurite.
            ["Sharding:ConsumerEnabled"] = "false",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }
        var logs = new CapturingLoggerProvider();
        var app = SelfHostApp.Build(["--environment", environment, "--urls", "http://127.0.0.1:0", "--contentRoot", folder], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        }, composed);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new SelfHostServer(folder, app, logs, values);
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>A client that sends the management key.</summary>
    public HttpClient CreateManagementClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
        return client;
    }

    public WebhookDbContext NewDb() => Services.GetRequiredService<IDbContextFactory<WebhookDbContext>>().CreateDbContext();

    /// <summary>Every credential row as it stands, for asserting a rejected request changed nothing.</summary>
    public async Task<string> SnapshotAsync()
    {
        await using var db = NewDb();
        var rows = await db.Credentials.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
        return System.Text.Json.JsonSerializer.Serialize(rows);
    }

    public async ValueTask DisposeAsync()
    {
        string? connectionString;
        await using (var db = NewDb())
        {
            connectionString = db.Database.GetConnectionString();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqlitePool.Clear(connectionString);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
