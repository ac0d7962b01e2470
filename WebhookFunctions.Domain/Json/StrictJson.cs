using System.Buffers;
using System.Text;
using System.Text.Json;

namespace WebhookFunctions.Domain.Json;

/// <summary>
/// Parses a request body as JSON, refusing what JsonDocument would otherwise let through: bytes that are not UTF-8,
/// and an object that names a field twice (which value wins differs between readers). Used by every route and the receiver.
/// </summary>
internal static class StrictJson
{
    public const string NotUtf8Rule = "must be valid UTF-8 JSON";
    public const string RepeatedFieldRule = "must not repeat a field";

    private static readonly JsonDocumentOptions NoDuplicates = new() { AllowDuplicateProperties = false };

    /// <summary>The document, or null and the rule the body broke (for the field "body").</summary>
    public static JsonDocument? TryParse(ReadOnlyMemory<byte> body, out string? problem)
    {
        if (FirstInvalidUtf8(body.Span) is { } offset)
        {
            problem = $"{NotUtf8Rule} (invalid UTF-8 at byte {offset})";
            return null;
        }
        try
        {
            problem = null;
            return JsonDocument.Parse(body, NoDuplicates);
        }
        catch (JsonException e)
        {
            problem = IsWellFormed(body) ? RepeatedFieldRule : $"must be valid JSON ({Where(e)})";
            return null;
        }
    }

    private static int? FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        for (var offset = 0; offset < bytes.Length;)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }
            offset += consumed;
        }
        return null;
    }

    // Parsed again only on failure, to tell a repeated field from broken syntax.
    private static bool IsWellFormed(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Where(JsonException e) =>
        e.LineNumber is { } line ? $"line {line + 1}, position {e.BytePositionInLine + 1}" : "unreadable";
}
