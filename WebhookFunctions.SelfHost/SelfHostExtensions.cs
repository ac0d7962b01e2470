using WebhookFunctions.Domain;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Sharding;
using WebhookFunctions.Domain.Telemetry;

namespace WebhookFunctions.SelfHost;

/// <summary>The self-host's wiring: the shared library plus what only an ASP.NET Core host needs.</summary>
internal static class SelfHostExtensions
{
    public static WebApplicationBuilder AddWebhookSelfHost(this WebApplicationBuilder builder)
    {
        builder.Services.AddWebhookManagement(builder.Configuration);
        builder.Services.AddWebhookCheckerSchedule();
        builder.Services.AddSweepShardConsumer();
        RequestBodyRateOptions.Register(builder.Services);
        builder.Services.AddWebhookTelemetry(builder.Configuration).AddPrometheusWhenEnabled(builder.Configuration);
        builder.Services.AddProblemDetails();
        // The OpenAPI schemas describe the wire format the library writes (ApiJson): snake_case, numbers as numbers.
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.AddWebhookApiDescription();
        builder.Services.AddApiReferencePage();
        return builder;
    }

    public static WebApplication UseWebhookSelfHost(this WebApplication app)
    {
        // Anything the routes themselves don't answer (unknown route, wrong method, a crash) is problem JSON too.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapApiDocument();
        app.MapApiReferencePageWhenEnabled();
        app.MapPrometheusWhenEnabled();
        app.MapHealthEndpoint();
        app.MapCredentialEndpoints();
        app.MapWebhookEndpoints();
        app.MapReceiverEndpoint();
        app.MapCheckerEndpoints();
        app.MapDashboardEndpoints();
        return app;
    }
}
