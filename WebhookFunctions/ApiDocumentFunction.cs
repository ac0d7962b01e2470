using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WebhookFunctions.Domain.Api;

namespace WebhookFunctions;

/// <summary>GET /v1/api/openapi/v1.json: the OpenAPI document the library embeds, the same bytes the self-host serves.</summary>
public static class ApiDocumentFunction
{
    [Function(ApiOperations.GetOpenApiDocument)]
    public static IActionResult Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/v1.json")] HttpRequest request) =>
        ApiDocument.Serve().ToActionResult();
}
