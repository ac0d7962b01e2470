using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>Applies the provider's migrations at start-up, when <see cref="DatabaseOptions.MigrateOnStart"/> says so.</summary>
internal static class DatabaseMigrations
{
    public static async Task MigrateWebhookDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (!(options.MigrateOnStart ?? options.Provider == DatabaseProvider.Sqlite))
        {
            return;
        }
        await using var db = await services.GetRequiredService<IDbContextFactory<WebhookDbContext>>().CreateDbContextAsync(cancellationToken);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            var dataSource = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            if (Path.GetDirectoryName(dataSource) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }
        }
        await db.Database.MigrateAsync(cancellationToken);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets the API read while the checker writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}

/// <summary>Migrates as the host starts, before the server takes requests (hosted services start first).</summary>
internal sealed class DatabaseMigrationService(IServiceProvider services) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => services.MigrateWebhookDatabaseAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
