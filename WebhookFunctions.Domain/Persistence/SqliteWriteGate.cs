using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>
/// One async write gate per SQLite file in this process: a write transaction (EF's BEGIN IMMEDIATE) or a write statement
/// outside one waits here, asynchronously, instead of meeting SQLITE_BUSY, which Microsoft.Data.Sqlite answers with
/// Thread.Sleep(150 ms) and a retry. Reads are not gated (WAL lets them run beside the writer). Other processes on
/// the same file are not covered: they can still meet the lock (docs/receiver.md).
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "One gate per file for the life of the process; never disposed.")]
internal sealed class SqliteWriteGate : IDbTransactionInterceptor, IDbCommandInterceptor, IDbConnectionInterceptor
{
    private static readonly ConcurrentDictionary<string, SqliteWriteGate> Gates = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<Guid, bool> _held = new();

    private SqliteWriteGate()
    {
    }

    /// <summary>The gate of the file the connection string names (static: every service provider in the process shares it).</summary>
    public static SqliteWriteGate For(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var key = dataSource is "" or ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? dataSource : Path.GetFullPath(dataSource);
        return Gates.GetOrAdd(key, _ => new SqliteWriteGate());
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(eventData.ConnectionId, cancellationToken);
        return result;
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Enter(eventData.ConnectionId);
        return result;
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => Exit(eventData.ConnectionId);

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Exit(eventData.ConnectionId);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => Exit(eventData.ConnectionId);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Exit(eventData.ConnectionId);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) => Exit(eventData.ConnectionId);

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Exit(eventData.ConnectionId);

    // A write statement outside a transaction (ExecuteUpdate, ExecuteDelete, a one-statement SaveChanges) holds the gate
    // while it runs; inside a transaction the transaction already holds it.
    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await EnterForStatementAsync(command, eventData.ConnectionId, cancellationToken);
        return result;
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        EnterForStatement(command, eventData.ConnectionId);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await EnterForStatementAsync(command, eventData.ConnectionId, cancellationToken);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        EnterForStatement(command, eventData.ConnectionId);
        return result;
    }

    public async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await EnterForStatementAsync(command, eventData.ConnectionId, cancellationToken);
        return result;
    }

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        EnterForStatement(command, eventData.ConnectionId);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ExitStatement(command, eventData.ConnectionId);
        return ValueTask.FromResult(result);
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        ExitStatement(command, eventData.ConnectionId);
        return result;
    }

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        ExitStatement(command, eventData.ConnectionId);
        return ValueTask.FromResult(result);
    }

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        ExitStatement(command, eventData.ConnectionId);
        return result;
    }

    public InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        ExitStatement(command, eventData.ConnectionId);
        return result;
    }

    public ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        ExitStatement(command, eventData.ConnectionId);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        ExitStatement(command, eventData.ConnectionId);
        return result;
    }

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ExitStatement(command, eventData.ConnectionId);
        return Task.CompletedTask;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => ExitStatement(command, eventData.ConnectionId);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ExitStatement(command, eventData.ConnectionId);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => ExitStatement(command, eventData.ConnectionId);

    // Safety nets: a transaction disposed without commit or rollback ends with its connection's close. A BEGIN that
    // failed (SQLITE_BUSY from another process, an I/O error) raises no transaction event at all, and its connection
    // is not closed but disposed with the context: without the second net the gate would stay held for good.
    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData) => Exit(eventData.ConnectionId);

    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Exit(eventData.ConnectionId);

    public Task ConnectionDisposedAsync(DbConnection connection, ConnectionEndEventData eventData) => Exit(eventData.ConnectionId);

    public void ConnectionDisposed(DbConnection connection, ConnectionEndEventData eventData) => Exit(eventData.ConnectionId);

    private static bool IsWriteOutsideTransaction(DbCommand command) =>
        command.Transaction is null && !command.CommandText.AsSpan().TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);

    private async ValueTask EnterForStatementAsync(DbCommand command, Guid connectionId, CancellationToken cancellationToken)
    {
        if (IsWriteOutsideTransaction(command))
        {
            await EnterAsync(connectionId, cancellationToken);
        }
    }

    private void EnterForStatement(DbCommand command, Guid connectionId)
    {
        if (IsWriteOutsideTransaction(command))
        {
            Enter(connectionId);
        }
    }

    private void ExitStatement(DbCommand command, Guid connectionId)
    {
        if (command.Transaction is null)
        {
            Exit(connectionId);
        }
    }

    // A connection (EF's ConnectionId) is used by one caller at a time, so Held needs no lock of its own.
    private async ValueTask EnterAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        if (_held.ContainsKey(connectionId))
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken);
        _held[connectionId] = true;
    }

    private void Enter(Guid connectionId)
    {
        if (_held.ContainsKey(connectionId))
        {
            return;
        }
        _gate.Wait();
        _held[connectionId] = true;
    }

    private Task Exit(Guid connectionId)
    {
        if (_held.TryRemove(connectionId, out _))
        {
            _gate.Release();
        }
        return Task.CompletedTask;
    }
}
