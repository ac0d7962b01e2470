using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Support;

/// <summary>
/// The self-host in process, as its Program builds it, on a fresh SQLite file, talking to the Bot API stand-in
/// over HTTP on 127.0.0.1. Settings go in with UseSetting, so Program sees them as it composes the app.
/// </summary>
public sealed class SelfHostFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-management-key-0123456789abcdef";
    public const string Domain = "https://hooks.example.test";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "webhookfunctions-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings;

    public SelfHostFactory(BotApiStandIn botApi, Dictionary<string, string?>? settings = null)
    {
        BotApi = botApi;
        Directory.CreateDirectory(_folder);
        _settings = new Dictionary<string, string?>
        {
            ["Database:SqlitePath"] = Path.Combine(_folder, "webhooks.db"),
            ["Telegram:ApiBaseUrl"] = botApi.BaseUrl,
            ["Telegram:Timeout"] = "00:00:02",
            ["Webhook:Mode"] = "Domain",
            ["Webhook:Domain"] = Domain,
            ["Auth:ApiKeys:0"] = ApiKey,
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    public BotApiStandIn BotApi { get; }
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Test");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(l => l.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
    }

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

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
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
