using System.Diagnostics;
using System.Text.Json.Nodes;
using WebhookFunctions.Tests.Api;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.OpenApi;

// A real OpenAPI linter (Redocly CLI, installed by npm ci from the root package-lock.json) with the rules in
// redocly.yaml finds nothing wrong with the document as the self-host serves it.
public sealed class OpenApiLintTests : ApiTestBase
{
    [Fact]
    public async Task The_served_document_lints_clean()
    {
        using var anonymous = Host.CreateClient();
        var document = await anonymous.GetByteArrayAsync("/v1/api/openapi/v1.json");

        var totals = await LintAsync(document);

        Assert.True(totals.Errors == 0 && totals.Warnings == 0, totals.Report);
    }

    [Fact]
    public async Task The_linter_reports_an_operation_that_says_nothing_about_security()
    {
        // Shows the lint above can fail: the same document with the health route's `security: []` taken away.
        var broken = JsonNode.Parse(await Host.CreateClient().GetByteArrayAsync("/v1/api/openapi/v1.json"))!;
        broken["paths"]!["/v1/api/healthz"]!["get"]!.AsObject().Remove("security");

        var totals = await LintAsync(System.Text.Encoding.UTF8.GetBytes(broken.ToJsonString()));

        Assert.Equal(1, totals.Errors);
        Assert.Contains("security-defined", totals.Report, StringComparison.Ordinal);
    }

    private static async Task<(int Errors, int Warnings, string Report)> LintAsync(byte[] document)
    {
        var root = RepositoryRoot.Find();
        var redocly = Path.Combine(root, "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), $"{redocly} is missing: run `npm ci` at the repository root.");
        var file = Path.Combine(Path.GetTempPath(), $"openapi-lint-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(file, document);
        try
        {
            var start = new ProcessStartInfo(redocly)
            {
                ArgumentList = { "lint", file, "--config", Path.Combine(root, "redocly.yaml"), "--format", "json" },
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // No network here: no telemetry, no update check.
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var report = await output;
            var totals = JsonNode.Parse(report)?["totals"] ?? throw new InvalidOperationException($"redocly wrote no totals: {report} {await errors}");
            return (totals["errors"]!.GetValue<int>(), totals["warnings"]!.GetValue<int>(), report);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
