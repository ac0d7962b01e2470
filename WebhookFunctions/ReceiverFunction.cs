using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WebhookFunctions.Domain.Api;

namespace WebhookFunctions;

/// <summary>Where Telegram delivers updates: /v1/api/webhooks/telegram/{botId}. Anonymous: the library checks Telegram's secret header.</summary>
public sealed class ReceiverFunction(ReceiverApi api)
{
    [Function(ApiOperations.ReceiveTelegramUpdate)]
    public async Task<IActionResult> Receive(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/telegram/{botId}")] HttpRequest request, string botId, CancellationToken ct) =>
        (await api.ReceiveAsync(request, botId, ct)).ToActionResult();
}
