using Microsoft.Data.Sqlite;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>
/// Keeps one connection to the SQLite file open, outside the pool, for the life of the service provider, and puts the
/// file in WAL mode. Without it, when the pool closes its last idle connection (its prune timer, or a ClearPool), that
/// close checkpoints and deletes the WAL file under an exclusive lock on the database, and a connection opening at
/// that moment meets SQLITE_BUSY at its first statement (Microsoft.Data.Sqlite then sleeps 150 ms on the calling
/// thread). In WAL mode an open connection keeps its shared lock on the file between transactions, so while this one
/// is open no other close in the process is the last.
/// </summary>
internal sealed class SqliteFileHold : IAsyncDisposable, IDisposable
{
    private readonly SemaphoreSlim _opening = new(1, 1);
    private SqliteConnection? _connection;

    /// <summary>Opens the hold on the file the connection string names (once; later calls return at once) and sets WAL mode.</summary>
    public async Task OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        await _opening.WaitAsync(cancellationToken);
        try
        {
            if (_connection is not null)
            {
                return;
            }
            var unpooled = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
            var connection = new SqliteConnection(unpooled);
            try
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                // Reads the file's header, so the connection takes the shared lock it then keeps (WAL lets the API read
                // while the checker writes). Setting a mode the file already has is a no-op.
                command.CommandText = "PRAGMA journal_mode=WAL;";
                await command.ExecuteScalarAsync(cancellationToken);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
            _connection = connection;
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>Whether the hold is open (for tests).</summary>
    internal bool IsOpen => _connection is not null;

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
        _opening.Dispose();
    }

    // Also disposable synchronously: a container disposed with Dispose() refuses services that are only IAsyncDisposable.
    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
        _opening.Dispose();
    }
}
