using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Credentials;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.SelfHost;

/// <summary>The routes, each binding the request and calling the library; the Functions app maps the same ones.</summary>
internal static class ManagementEndpoints
{
    public static void MapHealthEndpoint(this IEndpointRouteBuilder app)
    {
        // /v1/api/healthz is where the Functions app answers (its route prefix applies to every function); the document
        // describes what both hosts serve, so the self-host's shorter alias stays out of it.
        app.MapGet("/healthz", (HealthApi api, CancellationToken ct) => api.CheckAsync(ct)).ExcludeFromDescription();
        app.MapGet("/v1/api/healthz", (HealthApi api, CancellationToken ct) => api.CheckAsync(ct))
            .Describe(ApiOperations.Health, "Whether the service and its database answer (no key)")
            .Produces<HealthReport>().ProducesProblem(503).WithTags("Health");
    }

    public static void MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapGet("/openapi/v1.json", ApiDocument.Serve).ExcludeFromDescription();
        app.MapGet("/v1/api/openapi/v1.json", ApiDocument.Serve)
            .Describe(ApiOperations.GetOpenApiDocument, "This OpenAPI document (no key)")
            .ServesTheDocument().WithTags("Health");
    }

    public static void MapCredentialEndpoints(this IEndpointRouteBuilder app)
    {
        var bots = app.MapGroup("/v1/api/bots/{botId}/platforms").WithTags("Credentials");
        bots.MapPost("/", (HttpRequest request, string botId, CredentialsApi api, CancellationToken ct) => api.RegisterAsync(request, botId, ct))
            .Describe(ApiOperations.RegisterCredential, "Register a bot's Telegram credential")
            .RequiresManagementKey().ReadsJsonBody<CredentialRegistration>(required: true)
            .Produces<CredentialView>(201).ProducesProblem(409);
        bots.MapGet("/", (HttpRequest request, string botId, CredentialsApi api, CancellationToken ct) => api.ListAsync(request, botId, ct))
            .Describe(ApiOperations.ListCredentials, "List a bot's credentials, tokens masked")
            .RequiresManagementKey().ProducesValidationProblem()
            .Produces<IReadOnlyList<CredentialView>>();
        bots.MapPut("/telegram", (HttpRequest request, string botId, CredentialsApi api, CancellationToken ct) => api.ReplaceAsync(request, botId, ct))
            .Describe(ApiOperations.ReplaceCredential, "Replace the active credential's token or flags, or create it")
            .RequiresManagementKey().ReadsJsonBody<CredentialUpdate>(required: true)
            .Produces<CredentialView>().Produces<CredentialView>(201).ProducesProblem(409);
        bots.MapDelete("/telegram", (HttpRequest request, string botId, CredentialsApi api, CancellationToken ct) => api.DeactivateAsync(request, botId, ct))
            .Describe(ApiOperations.DeactivateCredential, "Delete the webhook at Telegram, then deactivate the credential")
            .RequiresManagementKey().ProducesValidationProblem()
            .Produces<CredentialDeactivation>().ProducesProblem(404);
    }

    public static void MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/v1/api/webhooks/telegram").WithTags("Webhooks");
        webhooks.MapPost("/{botId}/webhook/set", (HttpRequest request, string botId, WebhookApi api, CancellationToken ct) => api.SetAsync(request, botId, ct))
            .Describe(ApiOperations.SetWebhook, "Set the bot's webhook at Telegram; answers the status read back")
            .RequiresManagementKey().ReadsJsonBody<WebhookConfig>(required: false).CallsTelegram()
            .Produces<WebhookStatus>().ProducesProblem(409).ProducesProblem(503);
        webhooks.MapGet("/{botId}/webhook/status", (HttpRequest request, string botId, WebhookApi api, CancellationToken ct) => api.StatusAsync(request, botId, ct))
            .Describe(ApiOperations.GetWebhookStatus, "Telegram's getWebhookInfo and what the service knows")
            .RequiresManagementKey().ProducesValidationProblem().CallsTelegram()
            .Produces<WebhookStatus>();
        webhooks.MapPost("/{botId}/webhook/delete", (HttpRequest request, string botId, WebhookApi api, CancellationToken ct) => api.DeleteAsync(request, botId, ct))
            .Describe(ApiOperations.DeleteWebhook, "Delete the bot's webhook at Telegram; the checker leaves it deleted")
            .RequiresManagementKey().ReadsJsonBody<WebhookDeleteRequest>(required: false).CallsTelegram()
            .Produces<WebhookDeleteResult>();
    }

    public static void MapCheckerEndpoints(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/v1/api/webhooks/telegram").WithTags("Checker");
        webhooks.MapPost("/check", (HttpRequest request, CheckerApi api, CancellationToken ct) => api.CheckAsync(request, ct))
            .Describe(ApiOperations.CheckWebhooks, "Run a sweep of the fleet now")
            .RequiresManagementKey()
            .Produces<SweepReport>().ProducesProblem(409).ProducesProblem(503);
        webhooks.MapGet("/", (HttpRequest request, CheckerApi api, CancellationToken ct) => api.FleetAsync(request, ct))
            .Describe(ApiOperations.ListWebhooks, "The fleet from the database, one page")
            .RequiresManagementKey().ProducesValidationProblem().PagedByQuery()
            .Produces<FleetPage>();
    }
}
