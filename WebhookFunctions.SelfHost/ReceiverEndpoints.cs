using WebhookFunctions.Domain.Api;

namespace WebhookFunctions.SelfHost;

/// <summary>The route Telegram delivers updates to; the Functions app maps the same one.</summary>
internal static class ReceiverEndpoints
{
    public static void MapReceiverEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/api/webhooks/telegram/{botId}", (HttpRequest request, string botId, ReceiverApi api, CancellationToken ct) => api.ReceiveAsync(request, botId, ct))
            .Describe(ApiOperations.ReceiveTelegramUpdate, "Where Telegram delivers the bot's updates (secret header, no key)")
            .ReceivesTelegramUpdates()
            .Produces(200).ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(408).ProducesProblem(413)
            .ProducesProblem(500).ProducesProblem(503)
            .WithTags("Receiver");
}
