using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WebhookFunctions.Domain.Persistence;

// Used by `dotnet ef` only. Database__ConnectionString points them at a real database when one is needed
// (database update against Azure SQL); creating or scripting migrations needs none.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteWebhookDbContext>
{
    public SqliteWebhookDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteWebhookDbContext>();
        WebhookDbContextFactory.ConfigureSqlite(builder, Environment.GetEnvironmentVariable("Database__ConnectionString") ?? "Data Source=design.db");
        return new SqliteWebhookDbContext(builder.Options);
    }
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerWebhookDbContext>
{
    public SqlServerWebhookDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqlServerWebhookDbContext>();
        var settings = new DatabaseOptions
        {
            Provider = DatabaseProvider.SqlServer,
            ConnectionString = Environment.GetEnvironmentVariable("Database__ConnectionString") ?? "Server=(design-time);Database=webhooks",
        };
        WebhookDbContextFactory.ConfigureSqlServer(builder, settings, credential: null);
        return new SqlServerWebhookDbContext(builder.Options);
    }
}
