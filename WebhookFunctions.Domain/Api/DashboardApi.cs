using Microsoft.AspNetCore.Http;
using WebhookFunctions.Domain.Dashboard;

namespace WebhookFunctions.Domain.Api;

/// <summary>The dashboard: its page and files (anonymous: they hold no data) and the fleet summary (key required).</summary>
public sealed class DashboardApi(ApiPipeline pipeline, FleetSummaryQuery summary)
{
    /// <summary>GET /v1/api/dashboard: anonymous, like every route of the page's own files.</summary>
    public Task<IResult> PageAsync(HttpRequest request) =>
        pipeline.RunAsync(request, () => Task.FromResult(DashboardPage.File("index.html")!));

    /// <summary>GET /v1/api/dashboard/{file}: the page's script and style sheet.</summary>
    public Task<IResult> FileAsync(HttpRequest request, string file) =>
        pipeline.RunAsync(request, () => Task.FromResult(file != "index.html" && DashboardPage.File(file) is { } result
            ? result
            : ApiProblems.Problem(404, "not-found", "Not found", $"The dashboard has no file '{file}'.")));

    /// <summary>GET /v1/api/webhooks/telegram/summary: bots by state, the last sweep, the next one.</summary>
    public Task<IResult> SummaryAsync(HttpRequest request, CancellationToken cancellationToken) =>
        pipeline.ManagementAsync(request, async () => TypedResults.Json(await summary.GetAsync(cancellationToken), ApiJson.Options));
}
