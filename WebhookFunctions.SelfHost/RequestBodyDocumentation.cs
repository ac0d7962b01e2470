using Microsoft.OpenApi;

namespace WebhookFunctions.SelfHost;

/// <summary>
/// Documents a JSON request body in OpenAPI without Accepts metadata, which would make routing answer a wrong
/// content type itself; the library answers it, as it does under Functions.
/// </summary>
public static class RequestBodyDocumentation
{
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = false,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
