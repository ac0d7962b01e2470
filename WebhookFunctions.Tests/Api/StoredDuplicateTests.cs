using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Api;

// Two bot ids holding one Telegram bot, stored before that was refused: the service starts, names both at start-up
// and in every sweep, and the sweep leaves the later one alone instead of moving the webhook back and forth.
public sealed class StoredDuplicateTests : IAsyncLifetime
{
    private static readonly Guid Holder = Guid.Parse("a1111111-1111-1111-1111-111111111111");
    private static readonly Guid Duplicate = Guid.Parse("b1111111-1111-1111-1111-111111111111");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "webhookfunctions-tests", Guid.NewGuid().ToString("N"));
    private BotApiStandIn _botApi = null!;
    private SelfHostServer _host = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var file = Path.Combine(_folder, "webhooks.db");
        await using (var db = new SqliteWebhookDbContext(new DbContextOptionsBuilder<SqliteWebhookDbContext>().UseSqlite($"Data Source={file}").UseSnakeCaseNamingConvention().Options))
        {
            await db.GetService<IMigrator>().MigrateAsync("AddLastSweptAt");
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO bot_platform_credential (id, bot_id, platform, credentials, is_active, created_at, updated_at, concurrency_stamp)
                VALUES ('A0000000-0000-0000-0000-000000000000', 'A1111111-1111-1111-1111-111111111111', 'telegram', '{{"token":"777:first-token-AAAAAAAAAAAAAAAAAA"}}', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'A3333333-3333-3333-3333-333333333333'),
                       ('B0000000-0000-0000-0000-000000000000', 'B1111111-1111-1111-1111-111111111111', 'telegram', '{{"token":"777:second-token-BBBBBBBBBBBBBBBBB"}}', 1, '2026-01-02 00:00:00', '2026-01-02 00:00:00', 'B3333333-3333-3333-3333-333333333333')
                """);
        }
        SqlitePool.Clear($"Data Source={file}");
        _botApi = await BotApiStandIn.StartAsync();
        _botApi.AddBot("777:first-token-AAAAAAAAAAAAAAAAAA");
        _botApi.AddBot("777:second-token-BBBBBBBBBBBBBBBBB");
        _host = await SelfHostServer.StartAsync(_botApi, new() { ["Database:SqlitePath"] = file });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _botApi.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void Start_up_warns_naming_both_bot_ids()
    {
        var warning = Assert.Single(_host.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("same Telegram bot"));

        Assert.Contains(Duplicate.ToString(), warning);
        Assert.Contains(Holder.ToString(), warning);
        Assert.DoesNotContain("second-token", _host.Logs.AllText);
    }

    [Fact]
    public async Task Sweep_reports_the_duplicate_and_sets_only_the_holders_webhook()
    {
        using var client = _host.CreateManagementClient();

        var response = await client.PostAsync("/v1/api/webhooks/telegram/check", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync()))!.AsObject();
        var duplicate = Assert.Single(report["duplicate_telegram_bots"]!.AsArray())!;
        Assert.Equal((Duplicate, Holder), (duplicate["bot_id"]!.GetValue<Guid>(), duplicate["held_by_bot_id"]!.GetValue<Guid>()));
        Assert.Equal([Holder], report["bots"]!.AsArray().Select(b => b!["bot_id"]!.GetValue<Guid>()));
        Assert.Single(_botApi.CallsOf("setWebhook"));
        Assert.Contains(_host.Logs.Lines, l => l.Contains("1 left alone sharing a Telegram bot"));
    }

    [Fact]
    public async Task Once_the_holder_is_deactivated_the_next_sweep_claims_the_telegram_bot_and_checks_the_other()
    {
        using var client = _host.CreateManagementClient();
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/v1/api/bots/{Holder}/platforms/telegram")).StatusCode);

        var response = await client.PostAsync("/v1/api/webhooks/telegram/check", null);

        var report = (await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync()))!.AsObject();
        Assert.Empty(report["duplicate_telegram_bots"]!.AsArray());
        Assert.Contains(Duplicate, report["bots"]!.AsArray().Select(b => b!["bot_id"]!.GetValue<Guid>()));
        await using var db = _host.NewDb();
        Assert.Equal("777", (await db.Credentials.SingleAsync(c => c.BotId == Duplicate)).TelegramBotId);
    }
}
