using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Telemetry;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Receiving;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Telemetry;

// Everything the self-host hands to an exporter (spans, metrics, log records) during a flow that registers a bot, sets
// its webhook, sweeps and receives an update, searched for the bot token, the webhook secret and the management key.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class NoSecretsInTelemetryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private readonly List<LogRecord> _logs = [];
    private BotApiStandIn _botApi = null!;
    private SelfHostServer _host = null!;

    public async Task InitializeAsync()
    {
        _botApi = await BotApiStandIn.StartAsync();
        _host = await SelfHostServer.StartAsync(_botApi, new()
        {
            ["UpdateQueue:ConnectionString"] = azurite.ConnectionString,
            ["UpdateQueue:Name"] = "otel-" + Guid.NewGuid().ToString("N")[..16],
        }, composed: builder => builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddInMemoryExporter(_spans))
            .WithMetrics(m => m.AddInMemoryExporter(_metrics))
            .WithLogging(l => l.AddInMemoryExporter(_logs)));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _botApi.DisposeAsync();
    }

    [Fact]
    public async Task No_token_secret_or_key_reaches_a_span_metric_or_log_record()
    {
        using var client = _host.CreateManagementClient();
        var (botId, token) = await RegisterAsync(client, knownToTelegram: true);
        var (_, rejectedToken) = await RegisterAsync(client, knownToTelegram: false);
        var secret = "flow-secret-" + Guid.NewGuid().ToString("N");
        var set = await client.PostAsJsonAsync($"/v1/api/webhooks/telegram/{botId}/webhook/set", new { secret_token = secret });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        _botApi.Bot(token).Url = "";
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/api/webhooks/telegram/check", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(botId, secret)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync(botId, secret + "x")).StatusCode);

        var exported = Flush();

        foreach (var secretValue in new[] { token, token[(token.IndexOf(':') + 1)..], rejectedToken, secret, SelfHostServer.ApiKey })
        {
            Assert.DoesNotContain(secretValue, exported, StringComparison.Ordinal);
        }
        // The flow was recorded, Bot API calls included, with the token's place marked.
        Assert.Contains($"url.full=http://127.0.0.1:{new Uri(_botApi.BaseUrl).Port}{BotTokenRedaction.Placeholder}/setWebhook", exported, StringComparison.Ordinal);
        Assert.Contains("span webhook sweep", exported, StringComparison.Ordinal);
        Assert.Contains("metric webhook_bot_api.calls", exported, StringComparison.Ordinal);
        Assert.Contains("metric webhook_receiver.deliveries", exported, StringComparison.Ordinal);
        Assert.Contains("Webhook sweep (manual) completed", exported, StringComparison.Ordinal);
    }

    /// <summary>Every span, metric point and log record exported so far, as text: names, tags, events, attributes, scopes.</summary>
    private string Flush()
    {
        _host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        _host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        _host.Services.GetRequiredService<LoggerProvider>().ForceFlush();
        var text = new StringBuilder();
        // The in-memory exporters add without a lock, and a request's span may end just after its client has the
        // answer: read copies (ToArray never throws on a concurrent add).
        foreach (var span in _spans.ToArray())
        {
            text.AppendLine($"span {span.DisplayName} {span.OperationName} {span.Source.Name} {span.StatusDescription}");
            Append(text, span.TagObjects);
            foreach (var e in span.Events)
            {
                text.AppendLine($"event {e.Name}");
                Append(text, e.Tags);
            }
            Append(text, span.Baggage.Select(b => new KeyValuePair<string, object?>(b.Key, b.Value)));
        }
        foreach (var metric in _metrics.ToArray())
        {
            text.AppendLine($"metric {metric.Name} {metric.Description} {metric.Unit}");
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var tag in point.Tags)
                {
                    text.AppendLine($"  {tag.Key}={tag.Value}");
                }
            }
        }
        foreach (var log in _logs.ToArray())
        {
            text.AppendLine($"log {log.CategoryName} {log.EventId} {log.FormattedMessage} {log.Body} {log.Exception}");
            Append(text, log.Attributes ?? []);
            log.ForEachScope((scope, builder) =>
            {
                foreach (var (key, value) in scope)
                {
                    builder.AppendLine($"  scope {key}={value}");
                }
            }, text);
        }
        return text.ToString();
    }

    private static void Append(StringBuilder text, IEnumerable<KeyValuePair<string, object?>> tags)
    {
        foreach (var (key, value) in tags)
        {
            text.AppendLine($"  {key}={value}");
        }
    }

    private async Task<(Guid BotId, string Token)> RegisterAsync(HttpClient client, bool knownToTelegram)
    {
        var botId = Guid.NewGuid();
        var token = TestTokens.New();
        if (knownToTelegram)
        {
            _botApi.AddBot(token);
        }
        var response = await client.PostAsJsonAsync($"/v1/api/bots/{botId}/platforms",
            new { platform = "telegram", credentials = new { token }, is_active = true, webhook_auto_refresh = true });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (botId, token);
    }

    private async Task<HttpResponseMessage> DeliverAsync(Guid botId, string secret)
    {
        using var telegram = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/api/webhooks/telegram/{botId}")
        {
            Content = new StringContent(ReceiverHarness.Update(7), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(ReceiverApi.SecretHeader, secret);
        return await telegram.SendAsync(request);
    }
}
