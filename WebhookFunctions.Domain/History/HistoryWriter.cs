using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.History;

/// <summary>
/// Appends history entries in one statement, however many: the rows travel as one JSON parameter (json_each in
/// SQLite, OPENJSON in SQL Server), as the checker's outcomes do, so a sweep that changes many bots adds one round
/// trip per batch, not one per entry. Ids follow the array's order.
/// </summary>
internal static class HistoryWriter
{
    private const string Columns = "bot_id, at, kind, actor, reason, from_state, to_state, url, telegram_error_at, message";

    internal const string SqliteInsert = "INSERT INTO webhook_history (" + Columns + """
        )
        SELECT json_extract(value, '$.bot_id'), json_extract(value, '$.at'), json_extract(value, '$.kind'),
               json_extract(value, '$.actor'), json_extract(value, '$.reason'), json_extract(value, '$.from_state'),
               json_extract(value, '$.to_state'), json_extract(value, '$.url'), json_extract(value, '$.telegram_error_at'),
               json_extract(value, '$.message')
        FROM json_each({0}) ORDER BY key
        """;

    internal const string SqlServerInsert = "INSERT INTO webhook_history (" + Columns + """
        )
        SELECT bot_id, at, kind, actor, reason, from_state, to_state, url, telegram_error_at, message
        FROM OPENJSON({0}) WITH (
            seq int '$.seq', bot_id uniqueidentifier '$.bot_id', at datetime2 '$.at', kind nvarchar(32) '$.kind',
            actor nvarchar(16) '$.actor', reason nvarchar(64) '$.reason', from_state nvarchar(32) '$.from_state',
            to_state nvarchar(32) '$.to_state', url nvarchar(2048) '$.url', telegram_error_at datetime2 '$.telegram_error_at',
            message nvarchar(1024) '$.message'
        ) ORDER BY seq
        """;

    public static Task<int> AppendAsync(WebhookDbContext db, IReadOnlyList<WebhookHistoryEntry> entries, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(db.Database.IsSqlServer() ? SqlServerInsert : SqliteInsert, [ToJson(entries)], cancellationToken);

    internal static string ToJson(IReadOnlyList<WebhookHistoryEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                json.WriteStartObject();
                json.WriteNumber("seq", i);
                json.WriteString("bot_id", JsonParameterValues.Text(entry.BotId));
                json.WriteString("at", JsonParameterValues.Text(entry.At));
                json.WriteString("kind", SnakeCase.Of(entry.Kind));
                json.WriteString("actor", SnakeCase.Of(entry.Actor));
                json.WriteString("reason", entry.Reason);
                json.WriteString("from_state", entry.FromState is { } from ? SnakeCase.Of(from) : null);
                json.WriteString("to_state", entry.ToState is { } to ? SnakeCase.Of(to) : null);
                json.WriteString("url", entry.Url);
                json.WriteString("telegram_error_at", entry.TelegramErrorAt is { } errorAt ? JsonParameterValues.Text(errorAt) : null);
                json.WriteString("message", entry.Message);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
