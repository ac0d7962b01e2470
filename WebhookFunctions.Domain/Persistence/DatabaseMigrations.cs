using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>
/// Applies the provider's migrations at start-up, when <see cref="DatabaseOptions.MigrateOnStart"/> says so; on SQLite
/// also puts the file in WAL mode and keeps one connection to it open (<see cref="SqliteFileHold"/>), migrated or not.
/// </summary>
internal static class DatabaseMigrations
{
    public static async Task MigrateWebhookDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var sqlite = options.Provider == DatabaseProvider.Sqlite;
        var migrate = options.MigrateOnStart ?? sqlite;
        if (!migrate && !sqlite)
        {
            return;
        }
        await using var db = await services.GetRequiredService<IDbContextFactory<WebhookDbContext>>().CreateDbContextAsync(cancellationToken);
        var connectionString = db.Database.GetConnectionString()!;
        if (sqlite && Path.GetDirectoryName(new SqliteConnectionStringBuilder(connectionString).DataSource) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }
        if (migrate)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        if (sqlite)
        {
            await services.GetRequiredService<SqliteFileHold>().OpenAsync(connectionString, cancellationToken);
        }
    }
}

/// <summary>Migrates as the host starts, before the server takes requests (hosted services start first).</summary>
internal sealed class DatabaseMigrationService(IServiceProvider services) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => services.MigrateWebhookDatabaseAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
