using System.ComponentModel.DataAnnotations;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>Which database holds the credentials, and how to reach it. Section "Database".</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQL Server connection string, or a SQLite one; for SQLite empty means <see cref="SqlitePath"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The SQLite file; relative paths are under the app's content root.</summary>
    [Required(ErrorMessage = "Database:SqlitePath is required, e.g. data/webhooks.db.")]
    public string SqlitePath { get; set; } = "data/webhooks.db";

    /// <summary>Get an Entra ID token with Azure.Identity (managed identity in Azure) for SQL Server.</summary>
    public bool UseAzureIdentity { get; set; }

    /// <summary>Apply migrations at start-up. Default: on for SQLite, off for SQL Server (the deployment migrates).</summary>
    public bool? MigrateOnStart { get; set; }

    [Range(1, 10, ErrorMessage = "Database:MaxRetryCount must be between {1} and {2}.")]
    public int MaxRetryCount { get; set; } = 5;
}

/// <summary>The database behind the store: embedded SQLite, or SQL Server / Azure SQL.</summary>
internal enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
