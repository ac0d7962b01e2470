using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.Json;

namespace WebhookFunctions.Domain.Api;

/// <summary>
/// Reads a JSON body into a wire type, naming the field and the rule for every problem: malformed JSON, unknown
/// fields, wrong JSON types. Bodies over <see cref="MaxBodyBytes"/> are refused without being read.
/// </summary>
internal static class ApiRequestReader
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The body as <typeparamref name="T"/>, or null when there is no body (the caller's defaults apply).</summary>
    public static async Task<T?> ReadOptionalAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        var bytes = await ReadBytesAsync(request, cancellationToken);
        if (bytes.Length == 0 || bytes.AsSpan().Trim(" \t\r\n"u8).Length == 0)
        {
            return null;
        }
        if (request.ContentType is { Length: > 0 } contentType && !request.HasJsonContentType())
        {
            throw new UnsupportedMediaTypeException(contentType);
        }
        var document = StrictJson.TryParse(bytes, out var problem) ?? throw RequestValidationException.For("body", problem!);
        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            var errors = new Dictionary<string, string[]>();
            Check(document.RootElement, ApiJson.Options.GetTypeInfo(typeof(T)), "", errors);
            if (errors.Count > 0)
            {
                throw new RequestValidationException(errors);
            }
            try
            {
                return document.RootElement.Deserialize<T>(ApiJson.Options);
            }
            catch (JsonException e)
            {
                // The shape check and the strict parse passed; a value the wire type still cannot hold is named by path.
                throw RequestValidationException.For("body", $"has a value that cannot be read at {e.Path ?? "$"}");
            }
        }
    }

    /// <summary>Like <see cref="ReadOptionalAsync{T}"/>, but a missing body is a rule broken.</summary>
    public static async Task<T> ReadRequiredAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class =>
        await ReadOptionalAsync<T>(request, cancellationToken) ?? throw RequestValidationException.For("body", "is required (a JSON object)");

    private static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new PayloadTooLargeException(MaxBodyBytes);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new PayloadTooLargeException(MaxBodyBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    // Checks the document's shape against the wire type, so errors name the field rather than a .NET type.
    private static void Check(JsonElement element, JsonTypeInfo type, string prefix, Dictionary<string, string[]> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors[prefix.Length == 0 ? "body" : prefix] = ["must be a JSON object"];
            return;
        }
        var known = type.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var field = prefix + property.Name;
            if (!known.TryGetValue(property.Name, out var info))
            {
                errors[field] = [$"is not a known field (known: {string.Join(", ", known.Keys)})"];
                continue;
            }
            if (ShapeRule(property.Value, info.PropertyType, info.IsSetNullable) is { } rule)
            {
                errors[field] = [rule];
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                Check(property.Value, ApiJson.Options.GetTypeInfo(info.PropertyType), field + ".", errors);
            }
        }
    }

    private static string? ShapeRule(JsonElement value, Type type, bool nullable)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (value.ValueKind == JsonValueKind.Null)
        {
            return nullable || underlying is not null ? null : "must not be null";
        }
        type = underlying ?? type;
        if (type == typeof(bool))
        {
            return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "must be true or false";
        }
        if (type == typeof(int))
        {
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _) ? null : "must be a whole number";
        }
        if (type == typeof(string))
        {
            return value.ValueKind == JsonValueKind.String ? null : "must be a string";
        }
        if (type != typeof(string) && typeof(IEnumerable<string>).IsAssignableFrom(type))
        {
            return value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String)
                ? null
                : "must be an array of strings";
        }
        return value.ValueKind == JsonValueKind.Object ? null : "must be a JSON object";
    }
}

/// <summary>The body is larger than the route accepts.</summary>
internal sealed class PayloadTooLargeException(int limit) : WebhookException($"The request body is larger than {limit / 1024} KiB.");

/// <summary>The body is not JSON.</summary>
internal sealed class UnsupportedMediaTypeException(string contentType)
    : WebhookException($"The request body must be application/json, not '{contentType}'.");
