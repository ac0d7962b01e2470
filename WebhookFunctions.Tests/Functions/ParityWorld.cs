using System.Text;
using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Functions;

/// <summary>
/// Both hosts over one world: one Bot API stand-in, one SQLite file, one queue. The self-host is started on it and the
/// Functions app composed from the very settings dictionary the self-host got. <see cref="ResetAsync"/> empties the
/// database and the stand-in, so a request can be arranged and answered once per host from the same state.
/// </summary>
internal sealed class ParityWorld : IAsyncDisposable
{
    public const string Token = "700001:PARITYtokenPART0123456789abcdefXY";
    public const string Secret = "parity_webhook_secret-0123456789";
    public static readonly Guid BotId = Guid.Parse("3f2c1e9a-8b7d-4c6e-9f10-2a3b4c5d6e7f");
    public static readonly DateTime ArrangedAt = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    private ParityWorld(BotApiStandIn botApi, SelfHostServer selfHost, FunctionsApp functions)
    {
        BotApi = botApi;
        SelfHost = selfHost;
        Functions = functions;
    }

    public BotApiStandIn BotApi { get; }
    public SelfHostServer SelfHost { get; }
    public FunctionsApp Functions { get; }
    public string RoutePrefix { get; } = FunctionsAppOutput.RoutePrefix();

    public static async Task<ParityWorld> StartAsync(Dictionary<string, string?> settings)
    {
        var botApi = await BotApiStandIn.StartAsync();
        var selfHost = await SelfHostServer.StartAsync(botApi, settings);
        return new ParityWorld(botApi, selfHost, FunctionsApp.Compose(selfHost.Settings));
    }

    /// <summary>An empty, migrated database and a stand-in that knows no bot.</summary>
    public async Task ResetAsync()
    {
        BotApi.Reset();
        await using (var db = SelfHost.NewDb())
        {
            await db.Database.EnsureDeletedAsync();
            SqlitePool.Clear(db.Database.GetConnectionString());
        }
        await SelfHost.Services.MigrateWebhookDatabaseAsync();
    }

    public async Task<CapturedResponse> SendToSelfHostAsync(ParityRequest request)
    {
        using var client = SelfHost.CreateClient();
        using var message = request.ToHttpRequest();
        using var response = await client.SendAsync(message);
        return await CapturedResponse.FromAsync(response);
    }

    public Task<CapturedResponse> InvokeFunctionAsync(string function, ParityRequest request) => Functions.InvokeHttpAsync(function, request, RoutePrefix);

    /// <summary>Stores the bot's active credential with fixed values (and registers its token with the stand-in).</summary>
    public async Task AddBotAsync(bool webhookEnabled = false, bool knownToTelegram = true)
    {
        if (knownToTelegram)
        {
            BotApi.AddBot(Token);
        }
        await using var db = SelfHost.NewDb();
        db.Credentials.Add(new BotPlatformCredential
        {
            Id = Guid.Parse("0c8a6f3e-55d1-4b9e-8f7a-1d2e3f405162"),
            BotId = BotId,
            Credentials = BotToken.ToCredentialsJson(Token),
            CreatedAt = ArrangedAt,
            UpdatedAt = ArrangedAt,
            WebhookEnabled = webhookEnabled,
            WebhookSecret = Secret,
            WebhookUrl = webhookEnabled ? $"{SelfHostServer.Domain}/v1/api/webhooks/telegram/{BotId}" : null,
            WebhookLastSetAt = webhookEnabled ? ArrangedAt : null,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>Another instance holds the checker's lease until long after the test.</summary>
    public async Task HoldCheckerLeaseAsync()
    {
        await using var db = SelfHost.NewDb();
        await db.SweepLeases.Where(l => l.Name == SweepLease.CheckerLease)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, "another-instance").SetProperty(l => l.ExpiresAt, new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    public async Task DeleteDatabaseAsync()
    {
        await using var db = SelfHost.NewDb();
        await db.Database.EnsureDeletedAsync();
    }

    public static ParityRequest Management(string method, string path, string? json = null) =>
        new(method, path, new Dictionary<string, string> { ["x-functions-key"] = SelfHostServer.ApiKey }, json is null ? null : Encoding.UTF8.GetBytes(json), json is null ? null : "application/json");

    public static ParityRequest Anonymous(string method, string path, string? json = null) =>
        new(method, path, new Dictionary<string, string>(), json is null ? null : Encoding.UTF8.GetBytes(json), json is null ? null : "application/json");

    public static ParityRequest Delivery(string json, string secret = Secret) =>
        new("POST", $"/v1/api/webhooks/telegram/{BotId}", new Dictionary<string, string> { ["X-Telegram-Bot-Api-Secret-Token"] = secret },
            Encoding.UTF8.GetBytes(json), "application/json");

    public async ValueTask DisposeAsync()
    {
        await Functions.DisposeAsync();
        await SelfHost.DisposeAsync();
        await BotApi.DisposeAsync();
    }
}
