using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>
/// The ledger writer's batch statements, one per kind of write whatever the batch's size: the batch's rows travel as
/// one JSON parameter ({0}) and the batch's time as {1}. Hand-written for both dialects; SQLite's run in every receiver
/// test, SQL Server's are parsed as T-SQL by the tests.
/// </summary>
internal static class ReceivedUpdateStatements
{
    /// <summary>Inserts the claims whose key is free and returns the keys inserted (a taken key inserts nothing).</summary>
    internal const string SqliteClaim = """
        INSERT INTO received_update (bot_id, update_id, received_at)
        SELECT json_extract(value, '$.b'), json_extract(value, '$.u'), {1} FROM json_each({0}) WHERE true
        ON CONFLICT DO NOTHING
        RETURNING bot_id, update_id
        """;

    // Read committed: another replica can insert a key between NOT EXISTS and the insert; the key then fails the
    // statement, and the ledger redoes the batch one write at a time.
    internal const string SqlServerClaim = """
        INSERT INTO received_update (bot_id, update_id, received_at)
        OUTPUT inserted.bot_id, inserted.update_id
        SELECT v.b, v.u, {1} FROM OPENJSON({0}) WITH (b uniqueidentifier '$.b', u bigint '$.u') AS v
        WHERE NOT EXISTS (SELECT 1 FROM received_update AS r WHERE r.bot_id = v.b AND r.update_id = v.u)
        """;

    /// <summary>Marks each claim enqueued, if it is still the claim that was taken (same received_at).</summary>
    internal const string SqliteConfirm = """
        UPDATE received_update SET enqueued_at = {1}
        FROM (SELECT json_extract(value, '$.b') AS b, json_extract(value, '$.u') AS u, json_extract(value, '$.r') AS r
              FROM json_each({0})) AS v
        WHERE received_update.bot_id = v.b AND received_update.update_id = v.u AND received_update.received_at = v.r
        """;

    internal const string SqlServerConfirm = """
        UPDATE r SET enqueued_at = {1}
        FROM received_update AS r
        INNER JOIN OPENJSON({0}) WITH (b uniqueidentifier '$.b', u bigint '$.u', c datetime2 '$.r') AS v
            ON r.bot_id = v.b AND r.update_id = v.u AND r.received_at = v.c
        """;

    /// <summary>
    /// Stamps last_update_received_at on the credentials ({0}: a JSON array of ids). One column, and concurrency_stamp
    /// left alone: an arriving update must not fail the checker's and the API's conditional saves, and they never
    /// write this column back (EF updates only what they changed).
    /// </summary>
    internal const string SqliteStamp = """
        UPDATE bot_platform_credential SET last_update_received_at = {1}
        WHERE id IN (SELECT value FROM json_each({0}))
          AND (last_update_received_at IS NULL OR last_update_received_at < {1})
        """;

    internal const string SqlServerStamp = """
        UPDATE bot_platform_credential SET last_update_received_at = {1}
        WHERE id IN (SELECT v.id FROM OPENJSON({0}) WITH (id uniqueidentifier '$') AS v)
          AND (last_update_received_at IS NULL OR last_update_received_at < {1})
        """;

    /// <summary>Claims the free keys among <paramref name="keys"/> (distinct) at <paramref name="now"/>; returns the keys inserted.</summary>
    /// <remarks>
    /// Run as a raw command, as ExecuteSql runs one, so it is logged and intercepted like every other command (the
    /// write gate included) but skips the LINQ pipeline, which a FromSql query pays on every execution.
    /// </remarks>
    public static async Task<HashSet<(Guid BotId, long UpdateId)>> ClaimAsync(WebhookDbContext db, IEnumerable<(Guid BotId, long UpdateId)> keys, DateTime now)
    {
        var command = db.GetService<IRawSqlCommandBuilder>().Build(
            db is SqlServerWebhookDbContext ? SqlServerClaim : SqliteClaim,
            [Json(keys.Select(k => (k.BotId, k.UpdateId, (DateTime?)null))), now]);
        var parameters = new RelationalCommandParameterObject(
            db.GetService<IRelationalConnection>(), command.ParameterValues, null, db, db.GetService<IRelationalCommandDiagnosticsLogger>());
        var inserted = new HashSet<(Guid, long)>();
        await using var reader = await command.RelationalCommand.ExecuteReaderAsync(parameters);
        while (await reader.ReadAsync())
        {
            inserted.Add((reader.DbDataReader.GetGuid(0), reader.DbDataReader.GetInt64(1)));
        }
        return inserted;
    }

    /// <summary>Marks the claims (key and the claim's time) enqueued at <paramref name="now"/>.</summary>
    public static Task<int> ConfirmAsync(WebhookDbContext db, IEnumerable<(Guid BotId, long UpdateId, DateTime ClaimedAt)> claims, DateTime now) =>
        db.Database.ExecuteSqlRawAsync(
            db is SqlServerWebhookDbContext ? SqlServerConfirm : SqliteConfirm,
            Json(claims.Select(c => (c.BotId, c.UpdateId, (DateTime?)c.ClaimedAt))),
            now);

    /// <summary>Stamps the credentials' last_update_received_at with <paramref name="now"/> where it is older.</summary>
    public static Task<int> StampAsync(WebhookDbContext db, IEnumerable<Guid> credentialIds, DateTime now) =>
        db.Database.ExecuteSqlRawAsync(
            db is SqlServerWebhookDbContext ? SqlServerStamp : SqliteStamp,
            JsonParameterValues.Array(credentialIds, (json, id) => json.WriteStringValue(JsonParameterValues.Text(id))),
            now);

    /// <summary>[{"b": bot id, "u": update id, "r": claimed at}, ...], in the text EF stores (<see cref="JsonParameterValues"/>).</summary>
    internal static string Json(IEnumerable<(Guid BotId, long UpdateId, DateTime? ClaimedAt)> rows) =>
        JsonParameterValues.Array(rows, (json, row) =>
        {
            json.WriteStartObject();
            json.WriteString("b", JsonParameterValues.Text(row.BotId));
            json.WriteNumber("u", row.UpdateId);
            if (row.ClaimedAt is { } time)
            {
                json.WriteString("r", JsonParameterValues.Text(time));
            }
            json.WriteEndObject();
        });
}
