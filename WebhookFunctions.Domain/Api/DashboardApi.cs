using Microsoft.AspNetCore.Http;
using WebhookFunctions.Domain.Dashboard;

namespace WebhookFunctions.Domain.Api;

/// <summary>The dashboard: its page and files (anonymous: they hold no data) and the fleet summary (key required).</summary>
public sealed class DashboardApi
{
    private readonly ApiPipeline _pipeline;
    private readonly FleetSummaryQuery _summary;

    // Internal because its collaborators are: AddWebhookManagement registers how to build it.
    internal DashboardApi(ApiPipeline pipeline, FleetSummaryQuery summary) => (_pipeline, _summary) = (pipeline, summary);

    /// <summary>GET /v1/api/dashboard: anonymous, like every route of the page's own files.</summary>
    public Task<IResult> PageAsync(HttpRequest request) =>
        _pipeline.RunAsync(request, () => Task.FromResult(DashboardPage.File("index.html")!));

    /// <summary>GET /v1/api/dashboard/{file}: the page's script and style sheet.</summary>
    public Task<IResult> FileAsync(HttpRequest request, string file) =>
        _pipeline.RunAsync(request, () => Task.FromResult(file != "index.html" && DashboardPage.File(file) is { } result
            ? result
            : ApiProblems.Problem(404, "not-found", "Not found", $"The dashboard has no file '{file}'.")));

    /// <summary>GET /v1/api/webhooks/telegram/summary: bots by state, the last sweep, the next one.</summary>
    public Task<IResult> SummaryAsync(HttpRequest request, CancellationToken cancellationToken) =>
        _pipeline.ManagementAsync(request, async () => TypedResults.Json(await _summary.GetAsync(cancellationToken), ApiJson.Options));
}
