using WebhookFunctions.Domain;
using WebhookFunctions.Domain.Checking;

namespace WebhookFunctions.SelfHost;

/// <summary>The self-host's wiring: the shared library plus what only an ASP.NET Core host needs.</summary>
public static class SelfHostExtensions
{
    public static WebApplicationBuilder AddWebhookSelfHost(this WebApplicationBuilder builder)
    {
        builder.Services.AddWebhookManagement(builder.Configuration);
        builder.Services.AddWebhookCheckerSchedule();
        builder.Services.AddProblemDetails();
        // The OpenAPI document describes the wire format the library writes: snake_case.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddOpenApi();
        return builder;
    }

    public static WebApplication UseWebhookSelfHost(this WebApplication app)
    {
        // Anything the routes themselves don't answer (unknown route, wrong method, a crash) is problem JSON too.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapHealthEndpoint();
        app.MapCredentialEndpoints();
        app.MapWebhookEndpoints();
        app.MapReceiverEndpoint();
        app.MapCheckerEndpoints();
        app.MapDashboardEndpoints();
        return app;
    }
}
