namespace WebhookFunctions.Domain.Telemetry;

/// <summary>Settings under "Telemetry". OTLP export is switched on by the standard OTEL_EXPORTER_OTLP_ENDPOINT instead.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Self-host only: serve the metrics for Prometheus to scrape at <see cref="PrometheusPath"/>. Off by default.</summary>
    public bool PrometheusEndpoint { get; set; }

    public const string PrometheusPath = "/metrics";

    /// <summary>
    /// When set (e.g. <c>*:9464</c>), the scrape endpoint answers only requests to that host and port, so it can live on
    /// a port the network keeps internal; the port must also be in <c>Urls</c>.
    /// </summary>
    public string? PrometheusRequireHost { get; set; }
}
