using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace WebhookFunctions.Domain.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this library so both hosts serve them with no internet and no CDN. The page
/// holds no data: its script asks for the management key and calls the API with it.
/// </summary>
internal static class DashboardPage
{
    /// <summary>Scripts and styles from this origin only, no inline code, nothing framed, nothing posted elsewhere.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Files = new Dictionary<string, (byte[], string)>
    {
        ["index.html"] = (Read("index.html"), "text/html; charset=utf-8"),
        ["dashboard.js"] = (Read("dashboard.js"), "text/javascript; charset=utf-8"),
        ["dashboard.css"] = (Read("dashboard.css"), "text/css; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The named file with its headers, or null when there is no such file.</summary>
    public static IResult? File(string name) =>
        Files.TryGetValue(name, out var file) ? new FileResult(file.Content, file.ContentType) : null;

    private static byte[] Read(string name)
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream($"WebhookFunctions.Domain.Dashboard.Assets.{name}")
            ?? throw new InvalidOperationException($"The dashboard file {name} is not embedded in the library.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private sealed class FileResult(byte[] content, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // A new version of the library serves new files at the same names.
            headers.CacheControl = "no-cache";
            return TypedResults.Bytes(content, contentType).ExecuteAsync(httpContext);
        }
    }
}
