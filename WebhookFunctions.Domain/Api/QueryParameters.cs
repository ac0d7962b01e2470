using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace WebhookFunctions.Domain.Api;

/// <summary>Reads query parameters strictly: given once, in range, or a validation error naming the parameter.</summary>
internal static class QueryParameters
{
    public static int Int(HttpRequest request, string name, int fallback, int min, int max) =>
        (int)(Long(request, name, min, max) ?? fallback);

    public static long? Long(HttpRequest request, string name, long min, long max)
    {
        if (!request.Query.TryGetValue(name, out var values))
        {
            return null;
        }
        return values.Count == 1 && long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw RequestValidationException.For(name, $"must be a whole number from {min} to {max}");
    }

    /// <summary>One of <paramref name="allowed"/>, or null when absent.</summary>
    public static string? OneOf(HttpRequest request, string name, IReadOnlyCollection<string> allowed)
    {
        if (!request.Query.TryGetValue(name, out var values))
        {
            return null;
        }
        return values.Count == 1 && allowed.Contains(values[0], StringComparer.Ordinal)
            ? values[0]
            : throw RequestValidationException.For(name, $"must be one of: {string.Join(", ", allowed)}");
    }

    /// <summary>Up to <paramref name="maxLength"/> characters, each one <paramref name="allowed"/>; null when absent or empty.</summary>
    public static string? Text(HttpRequest request, string name, int maxLength, Func<char, bool> allowed, string rule)
    {
        if (!request.Query.TryGetValue(name, out var values))
        {
            return null;
        }
        if (values.Count != 1 || values[0] is not { } text || text.Length > maxLength || !text.All(allowed))
        {
            throw RequestValidationException.For(name, rule);
        }
        return text.Length == 0 ? null : text;
    }
}
