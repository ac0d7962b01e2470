using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Checking;

/// <summary>
/// Records a batch of check outcomes in one statement: the rows travel as one JSON parameter, and each row is
/// updated only where its concurrency stamp is still the one read, so a set or delete made meanwhile stands.
/// </summary>
internal static class CheckOutcomeWriter
{
    // Every column the checker owns, from the row's JSON value v; the same in both dialects.
    private const string Assignments = """
        SET webhook_last_checked = v.checked_at,
            last_swept_at = v.checked_at,
            last_check_outcome = v.outcome,
            last_check_reason = v.reason,
            last_error = v.error,
            consecutive_failures = v.failures,
            last_pending_update_count = v.pending,
            webhook_url = v.url,
            webhook_secret = v.secret,
            webhook_last_set_at = v.set_at,
            webhook_enabled = v.enabled,
            token_rejected = v.token_rejected,
            updated_at = v.updated_at,
            contested_at = v.contested_at,
            contested_host = v.contested_host,
            contest_backoff_sweeps = v.contest_backoff,
            contest_skip_sweeps = v.contest_skip,
            repair_watch_sweeps = v.repair_watch,
            applied_generation = v.applied_generation,
            concurrency_stamp = v.new_stamp

        """;

    internal const string SqliteUpdate = "UPDATE bot_platform_credential\n" + Assignments + """
        FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.stamp') AS stamp,
                     json_extract(value, '$.new_stamp') AS new_stamp, json_extract(value, '$.checked_at') AS checked_at,
                     json_extract(value, '$.outcome') AS outcome, json_extract(value, '$.reason') AS reason,
                     json_extract(value, '$.error') AS error, json_extract(value, '$.failures') AS failures,
                     json_extract(value, '$.pending') AS pending, json_extract(value, '$.url') AS url,
                     json_extract(value, '$.secret') AS secret, json_extract(value, '$.set_at') AS set_at,
                     json_extract(value, '$.enabled') AS enabled, json_extract(value, '$.token_rejected') AS token_rejected,
                     json_extract(value, '$.updated_at') AS updated_at,
                     json_extract(value, '$.contested_at') AS contested_at, json_extract(value, '$.contested_host') AS contested_host,
                     json_extract(value, '$.contest_backoff') AS contest_backoff, json_extract(value, '$.contest_skip') AS contest_skip,
                     json_extract(value, '$.repair_watch') AS repair_watch, json_extract(value, '$.applied_generation') AS applied_generation
              FROM json_each({0})) AS v
        WHERE bot_platform_credential.id = v.id AND bot_platform_credential.concurrency_stamp = v.stamp
        RETURNING id AS "Value"
        """;

    internal const string SqlServerUpdate = "UPDATE c\n" + Assignments + """
        OUTPUT inserted.id AS [Value]
        FROM bot_platform_credential AS c
        INNER JOIN OPENJSON({0}) WITH (
            id uniqueidentifier '$.id', stamp uniqueidentifier '$.stamp', new_stamp uniqueidentifier '$.new_stamp',
            checked_at datetime2 '$.checked_at', outcome nvarchar(32) '$.outcome', reason nvarchar(64) '$.reason',
            error nvarchar(1024) '$.error', failures int '$.failures', pending int '$.pending',
            url nvarchar(2048) '$.url', secret nvarchar(256) '$.secret', set_at datetime2 '$.set_at',
            enabled bit '$.enabled', token_rejected bit '$.token_rejected', updated_at datetime2 '$.updated_at',
            contested_at datetime2 '$.contested_at', contested_host nvarchar(300) '$.contested_host',
            contest_backoff int '$.contest_backoff', contest_skip int '$.contest_skip', repair_watch int '$.repair_watch',
            applied_generation bigint '$.applied_generation'
        ) AS v ON c.id = v.id AND c.concurrency_stamp = v.stamp
        """;

    /// <summary>Writes the rows whose stamp still matches; returns the ids written.</summary>
    public static async Task<HashSet<Guid>> WriteAsync(WebhookDbContext db, IReadOnlyCollection<CheckOutcomeRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var sql = db.Database.IsSqlServer() ? SqlServerUpdate : SqliteUpdate;
        var written = await db.Database.SqlQueryRaw<Guid>(sql, ToJson(rows)).ToListAsync(cancellationToken);
        return [.. written];
    }

    /// <summary>
    /// Values in the form EF Core stores them in SQLite (GUIDs as upper-case text, times as
    /// "yyyy-MM-dd HH:mm:ss.FFFFFFF"), which SQL Server's OPENJSON also reads.
    /// </summary>
    internal static string ToJson(IEnumerable<CheckOutcomeRow> rows) =>
        JsonParameterValues.Array(rows, (json, row) =>
        {
            json.WriteStartObject();
            json.WriteString("id", Text(row.Id));
            json.WriteString("stamp", Text(row.ReadStamp));
            json.WriteString("new_stamp", Text(row.NewStamp));
            json.WriteString("checked_at", Text(row.CheckedAt));
            json.WriteString("outcome", SnakeCase.Of(row.Outcome));
            json.WriteString("reason", row.Reason);
            json.WriteString("error", row.Error);
            json.WriteNumber("failures", row.ConsecutiveFailures);
            WriteNumber(json, "pending", row.PendingUpdateCount);
            json.WriteString("url", row.WebhookUrl);
            json.WriteString("secret", row.WebhookSecret);
            json.WriteString("set_at", row.WebhookLastSetAt is { } setAt ? Text(setAt) : null);
            json.WriteBoolean("enabled", row.WebhookEnabled);
            json.WriteBoolean("token_rejected", row.TokenRejected);
            json.WriteString("updated_at", Text(row.UpdatedAt));
            json.WriteString("contested_at", row.Contest.Since is { } since ? Text(since) : null);
            json.WriteString("contested_host", row.Contest.RivalHost);
            json.WriteNumber("contest_backoff", row.Contest.BackoffSweeps);
            json.WriteNumber("contest_skip", row.Contest.SkipSweeps);
            WriteNumber(json, "repair_watch", row.Contest.WatchSweeps);
            json.WriteNumber("applied_generation", row.AppliedGeneration);
            json.WriteEndObject();
        });

    private static string Text(Guid value) => JsonParameterValues.Text(value);

    private static string Text(DateTime value) => JsonParameterValues.Text(value);

    private static void WriteNumber(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
