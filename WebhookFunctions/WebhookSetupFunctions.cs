using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WebhookFunctions.Domain.Api;

namespace WebhookFunctions;

/// <summary>The webhook routes: set, status, delete. AuthorizationLevel is Anonymous: the library checks the management key.</summary>
public sealed class WebhookSetupFunctions(WebhookApi api)
{
    [Function(ApiOperations.SetWebhook)]
    public async Task<IActionResult> Set(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/telegram/{botId}/webhook/set")] HttpRequest request, string botId, CancellationToken ct) =>
        (await api.SetAsync(request, botId, ct)).ToActionResult();

    [Function(ApiOperations.GetWebhookStatus)]
    public async Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "webhooks/telegram/{botId}/webhook/status")] HttpRequest request, string botId, CancellationToken ct) =>
        (await api.StatusAsync(request, botId, ct)).ToActionResult();

    [Function(ApiOperations.DeleteWebhook)]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/telegram/{botId}/webhook/delete")] HttpRequest request, string botId, CancellationToken ct) =>
        (await api.DeleteAsync(request, botId, ct)).ToActionResult();
}
