using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WebhookFunctions.Domain.Api;

namespace WebhookFunctions;

/// <summary>What operators look at: the dashboard (anonymous: it holds no data), the fleet summary and a bot's history (key required).</summary>
public sealed class DashboardFunctions(DashboardApi dashboard, HistoryApi history)
{
    [Function(ApiOperations.Dashboard)]
    public async Task<IActionResult> Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request) =>
        (await dashboard.PageAsync(request)).ToActionResult();

    [Function(ApiOperations.DashboardFile)]
    public async Task<IActionResult> File(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{file}")] HttpRequest request, string file) =>
        (await dashboard.FileAsync(request, file)).ToActionResult();

    [Function(ApiOperations.FleetSummary)]
    public async Task<IActionResult> Summary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "webhooks/telegram/summary")] HttpRequest request, CancellationToken ct) =>
        (await dashboard.SummaryAsync(request, ct)).ToActionResult();

    [Function(ApiOperations.GetWebhookHistory)]
    public async Task<IActionResult> History(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "webhooks/telegram/{botId}/webhook/history")] HttpRequest request, string botId, CancellationToken ct) =>
        (await history.HistoryAsync(request, botId, ct)).ToActionResult();
}
