using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Dashboard;
using WebhookFunctions.Domain.History;

namespace WebhookFunctions.SelfHost;

/// <summary>What operators look at: the dashboard, the fleet summary, a bot's history. The Functions app maps the same routes.</summary>
internal static class DashboardEndpoints
{
    public static void MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        // The page and its files hold no data, so they are anonymous; every API call they make sends the key.
        app.MapGet("/v1/api/dashboard", (HttpRequest request, DashboardApi api) => api.PageAsync(request)).WithTags("Dashboard")
            .Describe(ApiOperations.Dashboard, "The dashboard page (HTML; no key: the page asks for one)").Produces(200, contentType: "text/html").ProducesProblem(500);
        app.MapGet("/v1/api/dashboard/{file}", (HttpRequest request, string file, DashboardApi api) => api.FileAsync(request, file)).WithTags("Dashboard")
            .Describe(ApiOperations.DashboardFile, "The dashboard's script and style sheet (no key)").Produces(200).ProducesProblem(404).ProducesProblem(500);

        var webhooks = app.MapGroup("/v1/api/webhooks/telegram").WithTags("Dashboard");
        webhooks.MapGet("/summary", (HttpRequest request, DashboardApi api, CancellationToken ct) => api.SummaryAsync(request, ct))
            .Describe(ApiOperations.FleetSummary, "Bots by state, the last sweep and the next one")
            .RequiresManagementKey().Produces<FleetSummary>();
        webhooks.MapGet("/{botId}/webhook/history", (HttpRequest request, string botId, HistoryApi api, CancellationToken ct) => api.HistoryAsync(request, botId, ct))
            .Describe(ApiOperations.GetWebhookHistory, "A bot's history, newest first; page with before={next_before}")
            .RequiresManagementKey().Produces<HistoryPage>().ProducesValidationProblem().ProducesProblem(404);
    }
}
