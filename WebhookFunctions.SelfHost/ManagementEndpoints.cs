using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Credentials;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.SelfHost;

/// <summary>The routes, each binding the request and calling the library; the Functions app maps the same ones.</summary>
public static class ManagementEndpoints
{
    public static void MapHealthEndpoint(this IEndpointRouteBuilder app)
    {
        // /v1/api/healthz is where the Functions app answers (its route prefix applies to every function).
        foreach (var route in new[] { "/healthz", "/v1/api/healthz" })
        {
            app.MapGet(route, (HealthApi api, CancellationToken ct) => api.CheckAsync(ct))
                .Produces<HealthReport>().ProducesProblem(503).WithTags("Health");
        }
    }

    public static void MapCredentialEndpoints(this IEndpointRouteBuilder app)
    {
        var bots = app.MapGroup("/v1/api/bots/{botId}/platforms").WithTags("Credentials");
        bots.MapPost("/", (HttpRequest request, string botId, CredentialsApi api, CancellationToken ct) => api.RegisterAsync(request, botId, ct))
            .AcceptsJson<CredentialRegistration>().Produces<CredentialView>(201).ProducesProblem(400).ProducesProblem(409);
        bots.MapGet("/", (HttpRequest request, string botId, CredentialsApi api, CancellationToken ct) => api.ListAsync(request, botId, ct))
            .Produces<IReadOnlyList<CredentialView>>();
        bots.MapPut("/telegram", (HttpRequest request, string botId, CredentialsApi api, CancellationToken ct) => api.ReplaceAsync(request, botId, ct))
            .AcceptsJson<CredentialUpdate>().Produces<CredentialView>().Produces<CredentialView>(201).ProducesProblem(400);
        bots.MapDelete("/telegram", (HttpRequest request, string botId, CredentialsApi api, CancellationToken ct) => api.DeactivateAsync(request, botId, ct))
            .Produces<CredentialDeactivation>().ProducesProblem(404);
    }

    public static void MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/v1/api/webhooks/telegram").WithTags("Webhooks");
        webhooks.MapPost("/{botId}/webhook/set", (HttpRequest request, string botId, WebhookApi api, CancellationToken ct) => api.SetAsync(request, botId, ct))
            .AcceptsJson<WebhookConfig>().Produces<WebhookStatus>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(429);
        webhooks.MapGet("/{botId}/webhook/status", (HttpRequest request, string botId, WebhookApi api, CancellationToken ct) => api.StatusAsync(request, botId, ct))
            .Produces<WebhookStatus>().ProducesProblem(404);
        webhooks.MapPost("/{botId}/webhook/delete", (HttpRequest request, string botId, WebhookApi api, CancellationToken ct) => api.DeleteAsync(request, botId, ct))
            .AcceptsJson<WebhookDeleteRequest>().Produces<WebhookDeleteResult>().ProducesProblem(404);
    }

    public static void MapCheckerEndpoints(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/v1/api/webhooks/telegram").WithTags("Checker");
        webhooks.MapPost("/check", (HttpRequest request, CheckerApi api, CancellationToken ct) => api.CheckAsync(request, ct))
            .Produces<SweepReport>().ProducesProblem(401).ProducesProblem(409).ProducesProblem(503);
        webhooks.MapGet("/", (HttpRequest request, CheckerApi api, CancellationToken ct) => api.FleetAsync(request, ct))
            .Produces<FleetPage>().ProducesProblem(400).ProducesProblem(401);
    }
}
