using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WebhookFunctions.Domain.Api;

namespace WebhookFunctions;

/// <summary>GET /v1/api/healthz (host.json's route prefix applies to every function; the self-host answers there too).</summary>
public sealed class HealthFunction(HealthApi api)
{
    [Function(ApiOperations.Health)]
    public async Task<IActionResult> Check(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest request, CancellationToken ct) =>
        (await api.CheckAsync(ct)).ToActionResult();
}
