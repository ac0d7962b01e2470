using Azure.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>Creates the provider's context from <see cref="DatabaseOptions"/>; options are built once.</summary>
public sealed class WebhookDbContextFactory : IDbContextFactory<WebhookDbContext>
{
    private readonly Func<WebhookDbContext> _create;

    public WebhookDbContextFactory(IOptions<DatabaseOptions> options, IHostEnvironment environment, TokenCredential credential)
    {
        var settings = options.Value;
        if (settings.Provider == DatabaseProvider.SqlServer)
        {
            var builder = new DbContextOptionsBuilder<SqlServerWebhookDbContext>();
            ConfigureSqlServer(builder, settings, settings.UseAzureIdentity ? credential : null);
            var built = builder.Options;
            _create = () => new SqlServerWebhookDbContext(built);
        }
        else
        {
            var builder = new DbContextOptionsBuilder<SqliteWebhookDbContext>();
            ConfigureSqlite(builder, SqliteConnectionString(settings, environment.ContentRootPath));
            var built = builder.Options;
            _create = () => new SqliteWebhookDbContext(built);
        }
    }

    public WebhookDbContext CreateDbContext() => _create();

    /// <summary>The SQLite connection string: the configured one, else the data file under the content root.</summary>
    public static string SqliteConnectionString(DatabaseOptions settings, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            return settings.ConnectionString;
        }
        var path = Path.GetFullPath(settings.SqlitePath, contentRoot);
        return $"Data Source={path};Default Timeout=30";
    }

    internal static void ConfigureSqlite(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString).UseSnakeCaseNamingConvention();

    internal static void ConfigureSqlServer(DbContextOptionsBuilder builder, DatabaseOptions settings, TokenCredential? credential)
    {
        builder.UseSqlServer(settings.ConnectionString, sql => sql.EnableRetryOnFailure(settings.MaxRetryCount))
            .UseSnakeCaseNamingConvention();
        if (credential is not null)
        {
            builder.AddInterceptors(new AzureIdentityConnectionInterceptor(credential));
        }
    }
}

/// <summary>Rules of <see cref="DatabaseOptions"/> that span fields.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (options.Provider == DatabaseProvider.SqlServer && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail("Database:ConnectionString is required when Database:Provider is SqlServer.");
        }
        if (options.UseAzureIdentity && options.Provider != DatabaseProvider.SqlServer)
        {
            return ValidateOptionsResult.Fail("Database:UseAzureIdentity applies only to Database:Provider=SqlServer.");
        }
        if (options.UseAzureIdentity && options.ConnectionString is { } cs
            && (cs.Contains("Password=", StringComparison.OrdinalIgnoreCase) || cs.Contains("Pwd=", StringComparison.OrdinalIgnoreCase)))
        {
            return ValidateOptionsResult.Fail("Database:ConnectionString must not hold a password when Database:UseAzureIdentity is true.");
        }
        return ValidateOptionsResult.Success;
    }
}
