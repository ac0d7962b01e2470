using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace WebhookFunctions.Tests.Functions;

/// <summary>A request as a test describes it once, sent to the self-host over HTTP and handed to a function in process.</summary>
internal sealed record ParityRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[]? Body = null, string? ContentType = null)
{
    public HttpRequestMessage ToHttpRequest()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), PathAndQuery);
        foreach (var (header, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(header, value);
        }
        if (Body is { } body)
        {
            message.Content = new ByteArrayContent(body);
            if (ContentType is { } contentType)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }
        return message;
    }
}

/// <summary>What a host answered: the status, the headers that matter to a client, and the body.</summary>
internal sealed record CapturedResponse(int Status, string? ContentType, string? RetryAfter, string? Location, string Body)
{
    public static CapturedResponse From(HttpResponse response, byte[] body) => new(
        response.StatusCode,
        Normalise(response.ContentType),
        response.Headers.RetryAfter.Count == 0 ? null : response.Headers.RetryAfter.ToString(),
        response.Headers.Location.Count == 0 ? null : response.Headers.Location.ToString(),
        Encoding.UTF8.GetString(body));

    public static async Task<CapturedResponse> FromAsync(HttpResponseMessage response) => new(
        (int)response.StatusCode,
        Normalise(response.Content.Headers.ContentType?.ToString()),
        response.Headers.TryGetValues("Retry-After", out var retryAfter) ? string.Join(",", retryAfter) : null,
        response.Headers.Location?.OriginalString,
        await response.Content.ReadAsStringAsync());

    // One spelling for equal media types: "application/json; charset=utf-8" however each side formats it.
    private static string? Normalise(string? contentType) =>
        string.IsNullOrEmpty(contentType) ? null : MediaTypeHeaderValue.Parse(contentType) is var parsed && parsed.CharSet is { } charset
            ? $"{parsed.MediaType!.ToLowerInvariant()}; charset={charset.Trim('"').ToLowerInvariant()}"
            : MediaTypeHeaderValue.Parse(contentType).MediaType!.ToLowerInvariant();
}
