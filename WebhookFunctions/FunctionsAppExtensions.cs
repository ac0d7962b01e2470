using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain;

namespace WebhookFunctions;

/// <summary>The Functions app's wiring: the shared library plus what only the isolated worker needs. Program and the tests call it.</summary>
public static class FunctionsAppExtensions
{
    public static FunctionsApplicationBuilder AddWebhookFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        // Dependency tracking would record every outgoing URL, and Bot API URLs carry the bot token (/bot<token>/...).
        builder.Services.AddApplicationInsightsTelemetryWorkerService(o => o.EnableDependencyTrackingTelemetryModule = false)
            .ConfigureFunctionsApplicationInsights();
        builder.Services.AddWebhookManagement(builder.Configuration);
        return builder;
    }
}
