using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebhookFunctions.Tests.Functions;

/// <summary>
/// The values in a body that differ between two requests made from the same state, by design: each listed field is
/// replaced by a marker of its kind, and only when its value has that kind (a misshapen value still shows as a
/// difference). Everything else in the two bodies must be equal.
/// </summary>
internal static class PerRequestValues
{
    private enum Kind
    {
        Uuid,
        Timestamp,
        Duration,
    }

    // Field -> its kind. Why each moves: a created credential gets a new id; the clock stamps created_at/updated_at
    // (create, replace), last_set_at (set), last_checked (every status read) and started_at (sweep); a sweep's duration.
    private static readonly Dictionary<string, Kind> Fields = new(StringComparer.Ordinal)
    {
        ["id"] = Kind.Uuid,
        ["created_at"] = Kind.Timestamp,
        ["updated_at"] = Kind.Timestamp,
        ["last_set_at"] = Kind.Timestamp,
        ["last_checked"] = Kind.Timestamp,
        ["started_at"] = Kind.Timestamp,
        ["duration"] = Kind.Duration,
    };

    public static CapturedResponse Normalise(CapturedResponse response)
    {
        if (response.Body.Length == 0 || response.ContentType?.Contains("json", StringComparison.Ordinal) != true)
        {
            return response;
        }
        var body = JsonNode.Parse(response.Body);
        Replace(body);
        return response with { Body = body?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null" };
    }

    private static bool Is(Kind kind, JsonNode? value) =>
        value is JsonValue text && text.GetValueKind() == JsonValueKind.String && kind switch
        {
            Kind.Uuid => Guid.TryParse(text.GetValue<string>(), out _),
            Kind.Timestamp => DateTimeOffset.TryParse(text.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out _),
            _ => TimeSpan.TryParse(text.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _),
        };

    private static void Replace(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (Fields.TryGetValue(key, out var kind) && Is(kind, value))
                    {
                        obj[key] = $"<per-request {kind}>";
                    }
                    else
                    {
                        Replace(value);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Replace(item);
                }
                break;
        }
    }
}
