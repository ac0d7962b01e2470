using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Dashboard;
using WebhookFunctions.Domain.History;

namespace WebhookFunctions.SelfHost;

/// <summary>What operators look at: the dashboard, the fleet summary, a bot's history. The Functions app maps the same routes.</summary>
public static class DashboardEndpoints
{
    public static void MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        // The page and its files hold no data, so they are anonymous; every API call they make sends the key.
        app.MapGet("/v1/api/dashboard", DashboardApi.Page).WithTags("Dashboard")
            .WithName("Dashboard").WithSummary("The dashboard page (HTML; no key needed, it asks for one)").Produces(200, contentType: "text/html");
        app.MapGet("/v1/api/dashboard/{file}", (string file) => DashboardApi.File(file)).WithTags("Dashboard")
            .WithName("DashboardFile").WithSummary("The dashboard's script and style sheet").Produces(200).ProducesProblem(404);

        var webhooks = app.MapGroup("/v1/api/webhooks/telegram").WithTags("Dashboard");
        webhooks.MapGet("/summary", (HttpRequest request, DashboardApi api, CancellationToken ct) => api.SummaryAsync(request, ct))
            .WithName("FleetSummary").WithSummary("Bots by state, the last sweep and the next one")
            .Produces<FleetSummary>().ProducesProblem(401);
        webhooks.MapGet("/{botId}/webhook/history", (HttpRequest request, string botId, HistoryApi api, CancellationToken ct) => api.HistoryAsync(request, botId, ct))
            .WithName("GetWebhookHistory").WithSummary("A bot's history, newest first; page with before={next_before}")
            .Produces<HistoryPage>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(404);
    }
}
