using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Persistence;

public sealed class MigrationTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"webhookfunctions-migrations-{Guid.NewGuid():N}.db");

    private SqliteWebhookDbContext Sqlite() =>
        new(new DbContextOptionsBuilder<SqliteWebhookDbContext>().UseSqlite($"Data Source={_file}").UseSnakeCaseNamingConvention().Options);

    private static SqlServerWebhookDbContext SqlServer() =>
        new(new DbContextOptionsBuilder<SqlServerWebhookDbContext>().UseSqlServer("Server=(none);Database=webhooks").UseSnakeCaseNamingConvention().Options);

    [Fact]
    public void Migrations_are_an_initial_one_then_the_webhook_columns_then_lease_and_dedup_tables()
    {
        using var db = Sqlite();

        var names = db.Database.GetMigrations().Select(m => m[15..]).ToArray();

        Assert.Equal(["InitialCreate", "AddWebhookColumns", "AddSweepLeaseAndReceivedUpdates", "AddReceivedUpdateEnqueuedAt", "AddLastSweptAt", "AddContestedState", "AddTelegramBotIdAndIntent", "AddWebhookHistory", "AddSweepShards"], names);
        Assert.Equal(names, SqlServer().Database.GetMigrations().Select(m => m[15..]));
    }

    [Fact]
    public void The_model_has_no_changes_missing_from_the_migrations()
    {
        using var sqlite = Sqlite();
        using var sqlServer = SqlServer();

        Assert.False(sqlite.Database.HasPendingModelChanges());
        Assert.False(sqlServer.Database.HasPendingModelChanges());
    }

    [Fact]
    public async Task Rows_from_before_the_webhook_columns_get_auto_refresh_on_like_the_seed_migration()
    {
        await using (var db = Sqlite())
        {
            await db.GetService<IMigrator>().MigrateAsync("InitialCreate");
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO bot_platform_credential (id, bot_id, platform, credentials, is_active, created_at, updated_at, concurrency_stamp)
                VALUES ('11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222', 'telegram', '{{"token":"1:x"}}', 1,
                        '2026-01-01 00:00:00', '2026-01-01 00:00:00', '33333333-3333-3333-3333-333333333333')
                """);
        }

        await using (var db = Sqlite())
        {
            await db.Database.MigrateAsync();
            var row = await db.Credentials.SingleAsync();
            Assert.True(row.WebhookAutoRefresh);
            Assert.Null(row.WebhookUrl);
            Assert.Null(row.WebhookLastChecked);
            Assert.False(row.WebhookEnabled);
            Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), row.CreatedAt);
        }
    }

    [Fact]
    public async Task A_second_active_credential_for_a_bot_is_refused_by_the_database()
    {
        await using var db = Sqlite();
        await db.Database.MigrateAsync();
        var botId = Guid.NewGuid();
        db.Credentials.Add(new() { Id = Guid.NewGuid(), BotId = botId, IsActive = false });
        db.Credentials.Add(new() { Id = Guid.NewGuid(), BotId = botId, IsActive = true });
        await db.SaveChangesAsync();

        db.Credentials.Add(new() { Id = Guid.NewGuid(), BotId = botId, IsActive = true });

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.Equal(19, Assert.IsType<SqliteException>(error.InnerException).SqliteErrorCode);
    }

    [Fact]
    public void SqlServer_script_creates_the_table_with_snake_case_columns_defaults_and_the_filtered_unique_index()
    {
        using var db = SqlServer();

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE TABLE [bot_platform_credential]", script);
        Assert.Contains("[bot_id] uniqueidentifier NOT NULL", script);
        Assert.Contains("[credentials] nvarchar(4000) NOT NULL", script);
        Assert.Contains("[webhook_url] nvarchar(2048) NULL", script);
        Assert.Contains("[webhook_last_checked] datetime2 NULL", script);
        Assert.Contains("[webhook_auto_refresh] bit NOT NULL DEFAULT CAST(1 AS bit)", script);
        Assert.Contains("[concurrency_stamp] uniqueidentifier NOT NULL", script);
        Assert.Contains("CREATE UNIQUE INDEX [ux_bot_platform_credential_active] ON [bot_platform_credential] ([bot_id], [platform]) WHERE is_active = 1", script);
        Assert.Contains("CREATE TABLE [sweep_lease]", script);
        Assert.Contains("CREATE TABLE [received_update]", script);
        Assert.Contains("IF NOT EXISTS", script);
    }

    [Fact]
    public async Task Telegram_bot_ids_are_filled_from_stored_tokens_and_a_later_duplicate_is_left_empty_without_failing()
    {
        await using (var db = Sqlite())
        {
            await db.GetService<IMigrator>().MigrateAsync("AddLastSweptAt");
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO bot_platform_credential (id, bot_id, platform, credentials, is_active, created_at, updated_at, concurrency_stamp, webhook_enabled, webhook_url, last_check_outcome)
                VALUES ('A0000000-0000-0000-0000-000000000000', 'A1111111-1111-1111-1111-111111111111', 'telegram', '{{"token":"777:first-token-AAAAAAAAAAAAAAAAAA"}}', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'A3333333-3333-3333-3333-333333333333', 1, 'https://hooks.example/a', NULL),
                       ('B0000000-0000-0000-0000-000000000000', 'B1111111-1111-1111-1111-111111111111', 'telegram', '{{"token":"777:second-token-BBBBBBBBBBBBBBBBB"}}', 1, '2026-01-02 00:00:00', '2026-01-02 00:00:00', 'B3333333-3333-3333-3333-333333333333', 1, 'https://hooks.example/b', NULL),
                       ('C0000000-0000-0000-0000-000000000000', 'C1111111-1111-1111-1111-111111111111', 'telegram', '{{"token":"777:old-token-CCCCCCCCCCCCCCCCCCCC"}}', 0, '2025-01-01 00:00:00', '2025-01-01 00:00:00', 'C3333333-3333-3333-3333-333333333333', 0, 'https://hooks.example/c', NULL),
                       ('D0000000-0000-0000-0000-000000000000', 'D1111111-1111-1111-1111-111111111111', 'telegram', 'not json', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'D3333333-3333-3333-3333-333333333333', 0, NULL, NULL),
                       ('E0000000-0000-0000-0000-000000000000', 'E1111111-1111-1111-1111-111111111111', 'telegram', '{{"token":"888:deleted-EEEEEEEEEEEEEEEEEEEEEE"}}', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'E3333333-3333-3333-3333-333333333333', 0, NULL, 'disabled')
                """);
        }

        await using (var db = Sqlite())
        {
            await db.Database.MigrateAsync();
            var rows = await db.Credentials.AsNoTracking().ToDictionaryAsync(c => c.Id.ToString()[..1].ToUpperInvariant());
            Assert.Equal(("777", null, "777", null, "888"), (rows["A"].TelegramBotId, rows["B"].TelegramBotId, rows["C"].TelegramBotId, rows["D"].TelegramBotId, rows["E"].TelegramBotId));
            // A delete or deactivation made before intents were recorded is checked once by the next sweep.
            Assert.Equal((0L, 0L, 1L, 0L, 1L), (rows["A"].IntentGeneration, rows["B"].IntentGeneration, rows["C"].IntentGeneration, rows["D"].IntentGeneration, rows["E"].IntentGeneration));
            Assert.All(rows.Values, r => Assert.Equal(0, r.AppliedGeneration));
        }
    }

    [Fact]
    public void SqlServer_script_of_the_telegram_bot_id_migration_parses_as_t_sql_and_builds_the_filtered_index()
    {
        using var db = SqlServer();
        var migrations = db.Database.GetMigrations().ToList();

        var index = migrations.FindIndex(m => m.EndsWith("_AddTelegramBotIdAndIntent", StringComparison.Ordinal));

        var script = db.GetService<IMigrator>().GenerateScript(fromMigration: migrations[index - 1], toMigration: migrations[index]);
        new Microsoft.SqlServer.TransactSql.ScriptDom.TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(script), out var errors);

        Assert.Empty(errors.Select(e => $"{e.Line}:{e.Column} {e.Message}"));
        Assert.Contains("JSON_VALUE(c.credentials, '$.token')", script);
        Assert.Contains("CREATE UNIQUE INDEX [ux_bot_platform_credential_telegram_bot] ON [bot_platform_credential] ([telegram_bot_id]) WHERE is_active = 1 AND telegram_bot_id IS NOT NULL", script);
    }

    public void Dispose()
    {
        SqlitePool.Clear($"Data Source={_file}");
        File.Delete(_file);
    }
}
