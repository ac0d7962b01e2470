using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Sharding;

namespace WebhookFunctions;

/// <summary>
/// The checker: its timer (%WEBHOOK_CHECK_SCHEDULE%, never at start-up; in one instance or sharded, as Sharding:Mode says),
/// a sweep on demand, and the fleet overview.
/// </summary>
public sealed class CheckerFunctions(CheckerApi api, SweepTriggers sweeps)
{
    [Function("CheckWebhooksOnSchedule")]
    public async Task Sweep([TimerTrigger("%WEBHOOK_CHECK_SCHEDULE%", RunOnStartup = false)] TimerInfo timer, CancellationToken ct) =>
        await sweeps.RunScheduledAsync(ct);

    [Function(ApiOperations.CheckWebhooks)]
    public async Task<IActionResult> Check(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/telegram/check")] HttpRequest request, CancellationToken ct) =>
        (await api.CheckAsync(request, ct)).ToActionResult();

    [Function(ApiOperations.ListWebhooks)]
    public async Task<IActionResult> Fleet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "webhooks/telegram")] HttpRequest request, CancellationToken ct) =>
        (await api.FleetAsync(request, ct)).ToActionResult();
}
