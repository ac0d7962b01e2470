using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WebhookFunctions.Tests.Support;

/// <summary>
/// Turns Microsoft.Data.Sqlite's busy wait into an error and counts it. On SQLITE_BUSY it sleeps 150 ms and retries until
/// the command timeout; a negative timeout is already past, so the first SQLITE_BUSY throws instead (0 would wait forever).
/// Every command and every BEGIN (the connection's DefaultTimeout) gets it; a BEGIN that fails so surfaces as the caller's error.
/// </summary>
internal sealed class SqliteBusyDetector : IDbConnectionInterceptor, IDbCommandInterceptor, IDbTransactionInterceptor
{
    private long _busy;

    public long BusyCount => Interlocked.Read(ref _busy);

    public static void NeverWait(SqliteConnection connection) => connection.DefaultTimeout = -1;

    public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => NeverWait((SqliteConnection)connection);

    public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        NeverWait((SqliteConnection)connection);
        return Task.CompletedTask;
    }

    public DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
    {
        result.CommandTimeout = -1;
        return result;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Count(eventData.Exception);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Count(eventData.Exception);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Count(eventData.Exception);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Count(eventData.Exception);
        return Task.CompletedTask;
    }

    /// <summary>Whether the error is SQLITE_BUSY or SQLITE_LOCKED, however wrapped.</summary>
    public static bool IsBusy(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: 5 or 6 })
            {
                return true;
            }
        }
        return false;
    }

    private void Count(Exception? exception)
    {
        if (IsBusy(exception))
        {
            Interlocked.Increment(ref _busy);
        }
    }
}
