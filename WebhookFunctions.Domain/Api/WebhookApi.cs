using Microsoft.AspNetCore.Http;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.Domain.Api;

/// <summary>The webhook routes: set, status, delete. Both hosts bind the request and call these.</summary>
public sealed class WebhookApi
{
    private readonly ApiPipeline _pipeline;
    private readonly WebhookService _webhooks;

    // Internal because its collaborators are: AddWebhookManagement registers how to build it.
    internal WebhookApi(ApiPipeline pipeline, WebhookService webhooks) => (_pipeline, _webhooks) = (pipeline, webhooks);

    /// <summary>POST /v1/api/webhooks/telegram/{botId}/webhook/set, body WebhookConfig (optional).</summary>
    public Task<IResult> SetAsync(HttpRequest request, string botId, CancellationToken cancellationToken) =>
        _pipeline.ManagementAsync(request, async () =>
        {
            var id = ApiPipeline.ParseBotId(botId);
            var config = await ApiRequestReader.ReadOptionalAsync<WebhookConfig>(request, cancellationToken);
            return TypedResults.Json(await _webhooks.SetWebhookAsync(id, config, cancellationToken), ApiJson.Options);
        });

    /// <summary>GET /v1/api/webhooks/telegram/{botId}/webhook/status.</summary>
    public Task<IResult> StatusAsync(HttpRequest request, string botId, CancellationToken cancellationToken) =>
        _pipeline.ManagementAsync(request, async () =>
            TypedResults.Json(await _webhooks.GetStatusAsync(ApiPipeline.ParseBotId(botId), cancellationToken), ApiJson.Options));

    /// <summary>POST /v1/api/webhooks/telegram/{botId}/webhook/delete, body {"drop_pending_updates": bool} (optional).</summary>
    public Task<IResult> DeleteAsync(HttpRequest request, string botId, CancellationToken cancellationToken) =>
        _pipeline.ManagementAsync(request, async () =>
        {
            var id = ApiPipeline.ParseBotId(botId);
            var body = await ApiRequestReader.ReadOptionalAsync<WebhookDeleteRequest>(request, cancellationToken) ?? new WebhookDeleteRequest();
            var success = await _webhooks.DeleteWebhookAsync(id, body.DropPendingUpdates, cancellationToken);
            return TypedResults.Json(new WebhookDeleteResult(success), ApiJson.Options);
        });
}

/// <summary>The seed's {"success": true}.</summary>
public sealed record WebhookDeleteResult(bool Success);
