using Microsoft.AspNetCore.Http;

namespace WebhookFunctions.Domain.Api;

/// <summary>
/// The OpenAPI document, served alike by both hosts at /v1/api/openapi/v1.json (the self-host also at /openapi/v1.json).
/// </summary>
/// <remarks>
/// Why a committed file: the self-host's endpoint metadata and transformers (WebhookFunctions.SelfHost/ApiDescription.cs)
/// generate it, a test fails when it drifts from what they generate, and this library embeds it, so the Functions app
/// serves the very same bytes without ASP.NET's OpenAPI runtime, and every change to the API shows up in review.
/// </remarks>
public static class ApiDocument
{
    internal const string ResourceName = "WebhookFunctions.Domain.Api.openapi.v1.json";
    internal const string ContentType = "application/json; charset=utf-8";

    /// <summary>Where a management route takes its key, as the document's security schemes say: this header...</summary>
    public const string ManagementKeyHeader = ManagementKeys.HeaderName;

    /// <summary>...or this query parameter (the Azure Functions convention).</summary>
    public const string ManagementKeyQuery = ManagementKeys.QueryName;

    private static readonly Lazy<byte[]> Document = new(Load);

    /// <summary>The document's bytes exactly as committed.</summary>
    internal static ReadOnlyMemory<byte> Bytes => Document.Value;

    public static IResult Serve() => TypedResults.Bytes(Document.Value, ContentType);

    private static byte[] Load()
    {
        using var stream = typeof(ApiDocument).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
