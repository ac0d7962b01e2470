using Azure.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>
/// Creates the provider's context from <see cref="DatabaseOptions"/>; options are built once. Contexts log through the
/// app's logger factory (EF's command log without parameter values) and run the interceptors registered in DI.
/// </summary>
internal sealed class WebhookDbContextFactory : IDbContextFactory<WebhookDbContext>
{
    private readonly Func<WebhookDbContext> _create;

    public WebhookDbContextFactory(IOptions<DatabaseOptions> options, IHostEnvironment environment, TokenCredential credential,
        ILoggerFactory? loggerFactory = null, IEnumerable<IInterceptor>? interceptors = null)
    {
        var settings = options.Value;
        if (settings.Provider == DatabaseProvider.SqlServer)
        {
            var builder = new DbContextOptionsBuilder<SqlServerWebhookDbContext>();
            ConfigureSqlServer(builder, settings, settings.UseAzureIdentity ? credential : null);
            var built = WithApp(builder, loggerFactory, interceptors).Options;
            _create = () => new SqlServerWebhookDbContext(built);
        }
        else
        {
            var builder = new DbContextOptionsBuilder<SqliteWebhookDbContext>();
            ConfigureSqlite(builder, SqliteConnectionString(settings, environment.ContentRootPath));
            var built = WithApp(builder, loggerFactory, interceptors).Options;
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

    /// <summary>SQLite with the process's write gate for its file, so writers here queue instead of sleeping on SQLITE_BUSY.</summary>
    internal static void ConfigureSqlite(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString).UseSnakeCaseNamingConvention().AddInterceptors(SqliteWriteGate.For(connectionString));

    // Parameter values stay out of the log: EnableSensitiveDataLogging is never called. Each executed command is logged
    // at Debug (category Microsoft.EntityFrameworkCore.Database.Command), so one delivery is not one Information line.
    private static DbContextOptionsBuilder<T> WithApp<T>(DbContextOptionsBuilder<T> builder, ILoggerFactory? loggerFactory, IEnumerable<IInterceptor>? interceptors)
        where T : DbContext
    {
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory)
                .ConfigureWarnings(w => w.Log((RelationalEventId.CommandExecuted, LogLevel.Debug)));
        }
        if (interceptors?.ToArray() is { Length: > 0 } registered)
        {
            builder.AddInterceptors(registered);
        }
        return builder;
    }

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
