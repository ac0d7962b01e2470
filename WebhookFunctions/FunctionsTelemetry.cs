using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Telemetry;

namespace WebhookFunctions;

/// <summary>The Functions app's telemetry: the library's wiring, the worker's defaults, and Azure Monitor when configured.</summary>
internal static class FunctionsTelemetry
{
    public static IServiceCollection AddFunctionsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // The host records each request (host.json telemetryMode); UseFunctionsWorkerDefaults tells it to leave the worker's
        // logs to the worker, so nothing is sent twice.
        var telemetry = services.AddWebhookTelemetry(configuration, traceIncomingRequests: false).UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            // Local auth is off on the component: send with the app's identity (AZURE_CLIENT_ID picks it).
            services.AddOptions<AzureMonitorExporterOptions>().Configure<TokenCredential>((o, credential) => o.Credential = credential);
            telemetry.UseAzureMonitorExporter();
        }
        return services;
    }
}
