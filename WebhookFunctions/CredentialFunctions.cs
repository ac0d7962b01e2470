using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WebhookFunctions.Domain.Api;

namespace WebhookFunctions;

/// <summary>The credential routes under /v1/api/bots/{botId}/platforms (routePrefix v1/api in host.json).</summary>
public sealed class CredentialFunctions(CredentialsApi api)
{
    [Function(ApiOperations.RegisterCredential)]
    public async Task<IActionResult> Register(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "bots/{botId}/platforms")] HttpRequest request, string botId, CancellationToken ct) =>
        (await api.RegisterAsync(request, botId, ct)).ToActionResult();

    [Function(ApiOperations.ListCredentials)]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{botId}/platforms")] HttpRequest request, string botId, CancellationToken ct) =>
        (await api.ListAsync(request, botId, ct)).ToActionResult();

    [Function(ApiOperations.ReplaceCredential)]
    public async Task<IActionResult> Replace(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "bots/{botId}/platforms/telegram")] HttpRequest request, string botId, CancellationToken ct) =>
        (await api.ReplaceAsync(request, botId, ct)).ToActionResult();

    [Function(ApiOperations.DeactivateCredential)]
    public async Task<IActionResult> Deactivate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "bots/{botId}/platforms/telegram")] HttpRequest request, string botId, CancellationToken ct) =>
        (await api.DeactivateAsync(request, botId, ct)).ToActionResult();
}
