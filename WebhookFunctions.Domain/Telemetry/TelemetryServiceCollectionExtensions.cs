using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Receiving;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Domain.Telemetry;

/// <summary>The OpenTelemetry wiring both hosts call; each host adds only its own exporter (Prometheus, Azure Monitor).</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Every Meter this service creates, one per area; the instrument names live in each area's metrics class.</summary>
    internal static readonly IReadOnlyList<string> MeterNames = [CheckerMetrics.MeterName, TelegramMetrics.MeterName, ReceiverMetrics.MeterName];

    /// <summary>Every ActivitySource this service creates.</summary>
    internal static readonly IReadOnlyList<string> ActivitySourceNames = [CheckerMetrics.ActivitySourceName];

    /// <summary>
    /// Metrics, traces and logs: this service's meters and sweep spans, ASP.NET Core and HttpClient instrumentation with
    /// bot tokens redacted from every span before any exporter sees it, and OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT
    /// is set. <paramref name="traceIncomingRequests"/> is off under Azure Functions, whose host records the request.
    /// </summary>
    public static IOpenTelemetryBuilder AddWebhookTelemetry(this IServiceCollection services, IConfiguration configuration, bool traceIncomingRequests = true)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateOnStart();
        var telemetry = services.AddOpenTelemetry()
            .WithTracing(tracing =>
            {
                // First, so every processor and exporter added after it gets redacted spans.
                tracing.AddProcessor(new BotTokenRedactionProcessor());
                tracing.AddSource([.. ActivitySourceNames]);
                tracing.AddHttpClientInstrumentation(o =>
                {
                    o.EnrichWithHttpRequestMessage = (activity, _) => BotTokenRedaction.Redact(activity);
                    o.EnrichWithHttpResponseMessage = (activity, _) => BotTokenRedaction.Redact(activity);
                    o.EnrichWithException = (activity, _) => BotTokenRedaction.Redact(activity);
                });
                if (traceIncomingRequests)
                {
                    tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => !IsScrape(context));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. MeterNames]);
                metrics.AddHttpClientInstrumentation();
                if (traceIncomingRequests)
                {
                    metrics.AddAspNetCoreInstrumentation();
                }
            })
            .WithLogging(configureBuilder: null, configureOptions: o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
            });
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Every signal, configured by the standard OTEL_EXPORTER_OTLP_* settings.
            telemetry.UseOtlpExporter();
        }
        return telemetry;
    }

    private static bool IsScrape(HttpContext context) => context.Request.Path.StartsWithSegments(TelemetryOptions.PrometheusPath, StringComparison.OrdinalIgnoreCase);
}
