using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Persistence;

// The service keeps one connection to its SQLite file open, so the pool closing its idle connections never closes the
// last one: that close would checkpoint and delete the WAL under an exclusive lock, and a connection opening then
// would meet SQLITE_BUSY at its first statement.
public sealed class SqliteFileHoldTests : IAsyncLifetime
{
    private DomainHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DomainHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Closing_every_pooled_connection_leaves_the_file_in_wal_mode_with_its_wal_in_place()
    {
        await _harness.AddBotAsync();
        var (connectionString, wal) = FileAndWal();

        ClearPool(connectionString);

        Assert.True(_harness.Services.GetRequiredService<SqliteFileHold>().IsOpen);
        Assert.True(File.Exists(wal), "the WAL was checkpointed and deleted: a pooled connection's close was the last");
        Assert.Equal("wal", await JournalModeAsync(connectionString));
    }

    [Fact]
    public async Task Without_the_hold_the_last_pooled_close_deletes_the_wal()
    {
        // The control: what the hold prevents does happen without it.
        await _harness.AddBotAsync();
        var (connectionString, wal) = FileAndWal();
        await _harness.Services.GetRequiredService<SqliteFileHold>().DisposeAsync();

        ClearPool(connectionString);

        Assert.False(File.Exists(wal));
    }

    [Fact]
    public async Task A_container_disposed_synchronously_closes_the_hold()
    {
        await using var replica = await _harness.StartReplicaAsync();
        var (connectionString, _) = FileAndWal();
        var hold = replica.Services.GetRequiredService<SqliteFileHold>();
        await hold.OpenAsync(connectionString, default);

        replica.Services.Dispose();

        Assert.False(hold.IsOpen);
    }

    private (string ConnectionString, string Wal) FileAndWal()
    {
        using var db = _harness.NewDb();
        var connectionString = db.Database.GetConnectionString()!;
        return (connectionString, new SqliteConnectionStringBuilder(connectionString).DataSource + "-wal");
    }

    private static void ClearPool(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static async Task<string?> JournalModeAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        return (string?)await command.ExecuteScalarAsync();
    }
}
