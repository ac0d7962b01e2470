using Microsoft.Data.Sqlite;

namespace WebhookFunctions.Tests.Support;

/// <summary>
/// Closes the idle pooled connections of one connection string, so a test's file can be deleted. Only that pool:
/// SqliteConnection.ClearAllPools would also close the connections of tests running beside it (docs/receiver.md,
/// "One connection stays open").
/// </summary>
internal static class SqlitePool
{
    public static void Clear(string? connectionString)
    {
        if (!string.IsNullOrEmpty(connectionString))
        {
            SqliteConnection.ClearPool(new SqliteConnection(connectionString));
        }
    }
}
