using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Telemetry;

// The self-host's /metrics as Prometheus scrapes it. Alone in its collection: an OpenTelemetry MeterProvider listens to
// every Meter of a name in the process, so another test's sweep running meanwhile would add to the counts read here.
[Collection(TelemetryCollectionDefinition.Name)]
public sealed partial class PrometheusEndpointTests : IAsyncLifetime
{
    private BotApiStandIn _botApi = null!;

    public async Task InitializeAsync() => _botApi = await BotApiStandIn.StartAsync();

    public async Task DisposeAsync() => await _botApi.DisposeAsync();

    [Fact]
    public async Task Scrape_after_a_sweep_shows_its_counts_the_bots_by_state_and_the_bot_api_calls()
    {
        await using var host = await SelfHostServer.StartAsync(_botApi, new() { ["Telemetry:PrometheusEndpoint"] = "true" });
        using var client = host.CreateManagementClient();
        await RegisterAsync(client, knownToTelegram: true);
        await RegisterAsync(client, knownToTelegram: false);
        var failing = await RegisterAsync(client, knownToTelegram: true);
        _botApi.Fail(failing, "getWebhookInfo", Fault.ServerError());

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/api/webhooks/telegram/check", null)).StatusCode);
        using var scraper = host.CreateClient();
        var scrape = await scraper.GetStringAsync("/metrics");

        Assert.Equal(1, Value(scrape, "webhook_checker_sweep_duration_seconds_count", ("status", "completed")));
        Assert.Equal(1, Value(scrape, "webhook_checker_checks_total", ("outcome", "refreshed")));
        Assert.Equal(1, Value(scrape, "webhook_checker_checks_total", ("outcome", "token_rejected")));
        Assert.Equal(1, Value(scrape, "webhook_checker_checks_total", ("outcome", "failed")));
        Assert.Equal(1, Value(scrape, "webhook_checker_refreshes_total", ("reason", "url_missing")));
        Assert.Equal(1, Value(scrape, "webhook_checker_bots", ("state", "healthy")));
        Assert.Equal(1, Value(scrape, "webhook_checker_bots", ("state", "token_rejected")));
        Assert.Equal(1, Value(scrape, "webhook_checker_bots", ("state", "failing")));
        Assert.Equal(0, Value(scrape, "webhook_checker_bots", ("state", "contested")));
        Assert.Equal(1, Value(scrape, "webhook_bot_api_calls_total", ("method", "setWebhook"), ("result", "ok")));
        Assert.Equal(1, Value(scrape, "webhook_bot_api_calls_total", ("method", "getWebhookInfo"), ("result", "token_rejected")));
        Assert.Equal(1, Value(scrape, "webhook_bot_api_calls_total", ("method", "getWebhookInfo"), ("result", "unavailable")));
        Assert.Equal(_botApi.CallsOf("getWebhookInfo").Count() - 2, Value(scrape, "webhook_bot_api_calls_total", ("method", "getWebhookInfo"), ("result", "ok")));
        Assert.Equal(_botApi.Calls.Count, Value(scrape, "webhook_bot_api_call_duration_seconds_count"));
    }

    [Fact]
    public async Task Metrics_endpoint_is_off_by_default()
    {
        await using var host = await SelfHostServer.StartAsync(_botApi);
        using var scraper = host.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Metrics_endpoint_with_a_required_host_answers_only_that_host()
    {
        await using var host = await SelfHostServer.StartAsync(_botApi, new()
        {
            ["Telemetry:PrometheusEndpoint"] = "true",
            ["Telemetry:PrometheusRequireHost"] = "*:9464",
        });
        using var scraper = host.CreateClient();
        using var internalPort = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        internalPort.Headers.Host = "metrics.internal:9464";

        Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scraper.SendAsync(internalPort)).StatusCode);
    }

    [Fact]
    public async Task Unreadable_prometheus_setting_stops_start_up_naming_it()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => SelfHostServer.StartAsync(_botApi, new() { ["Telemetry:PrometheusEndpoint"] = "maybe" }));

        Assert.Contains("Telemetry:PrometheusEndpoint", failure.Message, StringComparison.Ordinal);
    }

    private async Task<string> RegisterAsync(HttpClient client, bool knownToTelegram)
    {
        var token = TestTokens.New();
        if (knownToTelegram)
        {
            _botApi.AddBot(token);
        }
        var response = await client.PostAsJsonAsync($"/v1/api/bots/{Guid.NewGuid()}/platforms",
            new { platform = "telegram", credentials = new { token }, is_active = true, webhook_auto_refresh = true });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return token;
    }

    /// <summary>The sum of the samples of <paramref name="metric"/> that carry every label given; there must be one.</summary>
    private static double Value(string scrape, string metric, params (string Name, string Value)[] labels)
    {
        var samples = Sample().Matches(scrape)
            .Where(m => m.Groups["name"].Value == metric)
            .Where(m => labels.All(l => m.Groups["labels"].Value.Contains($"{l.Name}=\"{l.Value}\"", StringComparison.Ordinal)))
            .ToList();
        Assert.True(samples.Count > 0, $"{metric} {string.Join(",", labels)} is not in the scrape:\n{scrape}");
        return samples.Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollectionDefinition
{
    public const string Name = "Telemetry";
}
