using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using WebhookFunctions.Domain.Telemetry;

namespace WebhookFunctions.SelfHost;

/// <summary>The self-host's own telemetry exporter: a Prometheus scrape endpoint, off unless Telemetry:PrometheusEndpoint is true.</summary>
internal static class TelemetryEndpoints
{
    public static IOpenTelemetryBuilder AddPrometheusWhenEnabled(this IOpenTelemetryBuilder telemetry, IConfiguration configuration)
    {
        if (configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() is { PrometheusEndpoint: true })
        {
            telemetry.WithMetrics(metrics => metrics.AddPrometheusExporter());
        }
        return telemetry;
    }

    public static WebApplication MapPrometheusWhenEnabled(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (settings.PrometheusEndpoint)
        {
            // No management key: scrapers don't send one. Keep it off the public port with RequireHost, or off the network.
            var scrape = app.MapPrometheusScrapingEndpoint(TelemetryOptions.PrometheusPath);
            if (!string.IsNullOrWhiteSpace(settings.PrometheusRequireHost))
            {
                scrape.RequireHost(settings.PrometheusRequireHost);
            }
        }
        return app;
    }
}
