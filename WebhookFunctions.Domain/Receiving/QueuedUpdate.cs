using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>
/// One queue message: {id, bot_id, update_id, received_at, update}, where update is Telegram's Update object as received
/// and id is "{bot_id}:{update_id}": the same for every copy of one update, so consumers de-duplicate on it (delivery is
/// at least once). Consumers can read it with <see cref="Parse"/> or any JSON reader.
/// </summary>
internal sealed record QueuedUpdate(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("bot_id")] Guid BotId,
    [property: JsonPropertyName("update_id")] long UpdateId,
    [property: JsonPropertyName("received_at")] DateTimeOffset ReceivedAt,
    [property: JsonPropertyName("update")] JsonElement Update)
{
    public static QueuedUpdate Parse(BinaryData message) =>
        message.ToObjectFromJson<QueuedUpdate>() ?? throw new JsonException("The message is JSON null, not an update.");

    /// <summary>The stable id of an update: Telegram numbers updates per bot, so the pair names one update everywhere.</summary>
    public static string IdOf(Guid botId, long updateId) => string.Create(CultureInfo.InvariantCulture, $"{botId:D}:{updateId}");

    /// <summary>The message with the update's bytes copied verbatim, so no field or number is altered.</summary>
    internal static byte[] Write(Guid botId, long updateId, DateTimeOffset receivedAt, ReadOnlyMemory<byte> update) =>
        Write(botId, updateId, receivedAt, default, w => w.WriteRawValue(update.Span, skipInputValidation: true), update.Length);

    /// <summary>
    /// The same JSON value written compactly, with non-ASCII text unescaped (Telegram sends it as \uXXXX, six bytes a
    /// character): used only when the verbatim form would not fit one queue message.
    /// </summary>
    internal static byte[] WriteCompact(Guid botId, long updateId, DateTimeOffset receivedAt, JsonElement update) =>
        Write(botId, updateId, receivedAt, JavaScriptEncoder.UnsafeRelaxedJsonEscaping, update.WriteTo, 1024);

    private static byte[] Write(Guid botId, long updateId, DateTimeOffset receivedAt, JavaScriptEncoder? encoder, Action<Utf8JsonWriter> writeUpdate, int sizeHint)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint + 160);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString("id", IdOf(botId, updateId));
            writer.WriteString("bot_id", botId);
            writer.WriteNumber("update_id", updateId);
            writer.WriteString("received_at", receivedAt.ToUniversalTime());
            writer.WritePropertyName("update");
            writeUpdate(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
