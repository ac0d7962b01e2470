using System.Text;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.SelfHost;
using WebhookFunctions.Tests.Api;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.OpenApi;

// The committed document (what both hosts serve) is what the self-host's endpoint metadata and transformers generate.
public sealed class OpenApiDocumentDriftTests : ApiTestBase
{
    private const string RewriteVariable = "UPDATE_OPENAPI_DOCUMENT";
    private const string CommittedPath = "WebhookFunctions.Domain/Api/openapi.v1.json";

    [Fact]
    public async Task The_committed_document_is_what_the_self_host_generates()
    {
        var generated = await ApiDescription.GenerateAsync(Host.Services);

        if (generated.AsSpan().SequenceEqual(ApiDocument.Bytes.Span))
        {
            return;
        }
        if (Environment.GetEnvironmentVariable(RewriteVariable) == "1")
        {
            await File.WriteAllBytesAsync(Path.Combine(RepositoryRoot.Find(), CommittedPath), generated);
            return;
        }
        var written = Path.Combine(Path.GetTempPath(), $"openapi.v1.generated.{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(written, generated);
        Assert.Fail($"{CommittedPath} is not what the self-host generates now (generated: {written}). If the API change is meant, "
            + $"run `{RewriteVariable}=1 dotnet test WebhookFunctions.Tests --filter OpenApiDocumentDriftTests`, then rebuild and review the diff.\n"
            + FirstDifference(Encoding.UTF8.GetString(ApiDocument.Bytes.Span), Encoding.UTF8.GetString(generated)));
    }

    private static string FirstDifference(string committed, string generated)
    {
        var a = committed.Split('\n');
        var b = generated.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "(end)";
            var right = i < b.Length ? b[i] : "(end)";
            if (left != right)
            {
                return $"line {i + 1}: committed `{left.Trim()}`, generated `{right.Trim()}`";
            }
        }
        return "";
    }
}
