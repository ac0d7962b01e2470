using Microsoft.AspNetCore.Http;
using WebhookFunctions.Domain.Credentials;

namespace WebhookFunctions.Domain.Api;

/// <summary>The credential routes under /v1/api/bots/{botId}/platforms.</summary>
public sealed class CredentialsApi
{
    private readonly ApiPipeline _pipeline;
    private readonly CredentialService _credentials;

    // Internal because its collaborators are: AddWebhookManagement registers how to build it.
    internal CredentialsApi(ApiPipeline pipeline, CredentialService credentials) => (_pipeline, _credentials) = (pipeline, credentials);

    /// <summary>POST /v1/api/bots/{botId}/platforms: 201 with the stored credential (token masked).</summary>
    public Task<IResult> RegisterAsync(HttpRequest request, string botId, CancellationToken cancellationToken) =>
        _pipeline.ManagementAsync(request, async () =>
        {
            var id = ApiPipeline.ParseBotId(botId);
            var body = await ApiRequestReader.ReadRequiredAsync<CredentialRegistration>(request, cancellationToken);
            var view = await _credentials.RegisterAsync(id, body, cancellationToken);
            return TypedResults.Json(view, ApiJson.Options, statusCode: StatusCodes.Status201Created);
        });

    /// <summary>PUT /v1/api/bots/{botId}/platforms/telegram: 200 when replaced, 201 when created.</summary>
    public Task<IResult> ReplaceAsync(HttpRequest request, string botId, CancellationToken cancellationToken) =>
        _pipeline.ManagementAsync(request, async () =>
        {
            var id = ApiPipeline.ParseBotId(botId);
            var body = await ApiRequestReader.ReadRequiredAsync<CredentialUpdate>(request, cancellationToken);
            var (view, created) = await _credentials.ReplaceAsync(id, body, cancellationToken);
            return TypedResults.Json(view, ApiJson.Options, statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        });

    /// <summary>GET /v1/api/bots/{botId}/platforms: every credential of the bot, tokens masked.</summary>
    public Task<IResult> ListAsync(HttpRequest request, string botId, CancellationToken cancellationToken) =>
        _pipeline.ManagementAsync(request, async () =>
            TypedResults.Json(await _credentials.ListAsync(ApiPipeline.ParseBotId(botId), cancellationToken), ApiJson.Options));

    /// <summary>DELETE /v1/api/bots/{botId}/platforms/telegram: deletes the webhook at Telegram, then deactivates.</summary>
    public Task<IResult> DeactivateAsync(HttpRequest request, string botId, CancellationToken cancellationToken) =>
        _pipeline.ManagementAsync(request, async () =>
            TypedResults.Json(await _credentials.DeactivateAsync(ApiPipeline.ParseBotId(botId), cancellationToken), ApiJson.Options));
}
