using Microsoft.AspNetCore.Http;
using WebhookFunctions.Domain.History;

namespace WebhookFunctions.Domain.Api;

/// <summary>A bot's history. Both hosts bind the request and call this.</summary>
public sealed class HistoryApi
{
    private readonly ApiPipeline _pipeline;
    private readonly HistoryQuery _history;

    // Internal because its collaborators are: AddWebhookManagement registers how to build it.
    internal HistoryApi(ApiPipeline pipeline, HistoryQuery history) => (_pipeline, _history) = (pipeline, history);

    public const int DefaultLimit = 50;

    /// <summary>GET /v1/api/webhooks/telegram/{botId}/webhook/history?limit=50&amp;before={id}: newest first.</summary>
    public Task<IResult> HistoryAsync(HttpRequest request, string botId, CancellationToken cancellationToken) =>
        _pipeline.ManagementAsync(request, async () =>
        {
            var id = ApiPipeline.ParseBotId(botId);
            var limit = QueryParameters.Int(request, "limit", DefaultLimit, 1, HistoryQuery.MaxLimit);
            var before = QueryParameters.Long(request, "before", 1, long.MaxValue);
            return TypedResults.Json(await _history.GetPageAsync(id, limit, before, cancellationToken), ApiJson.Options);
        });
}
