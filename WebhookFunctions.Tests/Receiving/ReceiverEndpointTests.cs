using System.Net;
using System.Text.Json.Nodes;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Receiving;
using WebhookFunctions.Tests.Api;

namespace WebhookFunctions.Tests.Receiving;

// End to end through the self-host on 127.0.0.1: register a bot and set its webhook through the API, then deliver
// updates the way Telegram does (POST with the secret header, no management key) and read the queue on Azurite.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class ReceiverEndpointTests(AzuriteFixture azurite) : ApiTestBase
{
    private const string InvalidUtf8 = "(a text field holding the byte 0xFF)";

    private readonly string _queueName = "e2e-" + Guid.NewGuid().ToString("N")[..16];

    // Loopback is the trusted proxy here, so X-Forwarded-For decides the source of a delivery.
    protected override Dictionary<string, string?> Settings => new()
    {
        ["UpdateQueue:ConnectionString"] = azurite.ConnectionString,
        ["UpdateQueue:Name"] = _queueName,
        ["UpdateQueue:MaxBodyBytes"] = "2048",
        ["UpdateQueue:AllowTelegramSourceRangesOnly"] = "true",
        ["UpdateQueue:TrustedProxies:0"] = "127.0.0.1",
    };

    [Fact]
    public async Task Update_delivered_like_telegram_is_on_the_queue_exactly_once()
    {
        var (botId, secret) = await RegisterBotWithWebhookAsync();
        var update = ReceiverHarness.Update(424242, "/order");

        var response = await DeliverAsync(botId, secret, update);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var message = QueuedUpdate.Parse(Assert.Single(await azurite.PeekAllAsync(_queueName)).Body);
        Assert.Equal((botId, 424242L), (message.BotId, message.UpdateId));
        Assert.Equal($"{botId}:424242", message.Id);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(update), JsonNode.Parse(message.Update.GetRawText())));
    }

    [Fact]
    public async Task Redelivered_update_is_answered_200_and_not_enqueued_again()
    {
        var (botId, secret) = await RegisterBotWithWebhookAsync();

        await DeliverAsync(botId, secret, ReceiverHarness.Update(1));
        var again = await DeliverAsync(botId, secret, ReceiverHarness.Update(1));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(await azurite.PeekAllAsync(_queueName));
    }

    [Fact]
    public async Task Status_shows_when_the_last_update_arrived()
    {
        var (botId, secret) = await RegisterBotWithWebhookAsync();

        await DeliverAsync(botId, secret, ReceiverHarness.Update(2));

        var status = (await JsonNode.ParseAsync(await Client.GetStreamAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status")))!;
        Assert.NotNull(status["last_update_received_at"]);
    }

    [Fact]
    public async Task Wrong_secret_is_401_problem_json_and_nothing_is_enqueued()
    {
        var (botId, _) = await RegisterBotWithWebhookAsync();

        var response = await DeliverAsync(botId, "not-the-secret", ReceiverHarness.Update(3));

        await AssertProblemAsync(response, 401, "webhook-secret-invalid");
        Assert.Empty(await azurite.PeekAllAsync(_queueName));
    }

    [Fact]
    public async Task Management_key_does_not_replace_the_secret()
    {
        var (botId, _) = await RegisterBotWithWebhookAsync();

        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/api/webhooks/telegram/{botId}") { Content = Json(ReceiverHarness.Update(4)) };
        request.Headers.Add("X-Forwarded-For", "149.154.167.50");

        var response = await Client.SendAsync(request);

        await AssertProblemAsync(response, 401, "webhook-secret-invalid");
    }

    [Fact]
    public async Task Malformed_update_is_400_problem_json()
    {
        var (botId, secret) = await RegisterBotWithWebhookAsync();

        var response = await DeliverAsync(botId, secret, "{\"message\":{}}");

        await AssertProblemAsync(response, 400, "invalid-update");
        Assert.Empty(await azurite.PeekAllAsync(_queueName));
    }

    [Theory]
    [InlineData("{\"update_id\":9,\"update_id\":10,\"message\":{}}", "must not repeat a field")]
    [InlineData("{\"update_id\":9,\"message\":{\"text\":\"a\",\"text\":\"b\"}}", "must not repeat a field")]
    [InlineData(InvalidUtf8, "must be valid UTF-8 JSON")]
    public async Task Repeated_field_or_invalid_utf8_is_400_and_nothing_is_enqueued(string update, string rule)
    {
        var (botId, secret) = await RegisterBotWithWebhookAsync();
        // 0xFF never occurs in UTF-8.
        byte[] bytes = update == InvalidUtf8 ? [.. "{\"update_id\":9,\"message\":{\"text\":\""u8, 0xFF, .. "\"}}"u8] : System.Text.Encoding.UTF8.GetBytes(update);

        var response = await DeliverAsync(botId, secret, new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } });

        var problem = await AssertProblemAsync(response, 400, "invalid-update");
        Assert.Contains(rule, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await azurite.PeekAllAsync(_queueName));
    }

    [Fact]
    public async Task Delivery_after_the_webhook_was_deleted_through_the_api_is_404()
    {
        var (botId, secret) = await RegisterBotWithWebhookAsync();
        await Client.PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/delete", null);

        var response = await DeliverAsync(botId, secret, ReceiverHarness.Update(5));

        await AssertProblemAsync(response, 404, "webhook-not-enabled");
    }

    [Fact]
    public async Task Queue_outage_is_503_and_telegrams_redelivery_after_it_lands_once()
    {
        var (botId, secret) = await RegisterBotWithWebhookAsync();
        await azurite.StopAsync();

        HttpResponseMessage during;
        try
        {
            during = await DeliverAsync(botId, secret, ReceiverHarness.Update(6));
        }
        finally
        {
            await azurite.StartAsync();
        }
        var after = await DeliverAsync(botId, secret, ReceiverHarness.Update(6));

        await AssertProblemAsync(during, 503, "update-queue-unavailable");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Single(await azurite.PeekAllAsync(_queueName));
    }

    [Fact]
    public async Task Delivery_from_outside_telegrams_ranges_is_403_when_the_allowlist_is_on()
    {
        var (botId, secret) = await RegisterBotWithWebhookAsync();

        var response = await DeliverAsync(botId, secret, ReceiverHarness.Update(7), from: "203.0.113.7");

        await AssertProblemAsync(response, 403, "source-not-allowed");
        Assert.Empty(await azurite.PeekAllAsync(_queueName));
    }

    [Fact]
    public async Task Body_over_the_limit_is_413_problem_json()
    {
        var (botId, secret) = await RegisterBotWithWebhookAsync();

        var response = await DeliverAsync(botId, secret, ReceiverHarness.Update(8, new string('a', 3000)));

        await AssertProblemAsync(response, 413, "payload-too-large");
        Assert.Empty(await azurite.PeekAllAsync(_queueName));
    }

    [Fact]
    public async Task Deleted_webhook_is_refused_at_once_though_its_credential_was_just_read()
    {
        var (botId, secret) = await RegisterBotWithWebhookAsync();
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(botId, secret, ReceiverHarness.Update(9))).StatusCode);

        var deleted = await Client.PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/delete", null);
        var response = await DeliverAsync(botId, secret, ReceiverHarness.Update(10));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await AssertProblemAsync(response, 404, "webhook-not-enabled");
        Assert.Single(await azurite.PeekAllAsync(_queueName));
    }

    private async Task<(Guid BotId, string Secret)> RegisterBotWithWebhookAsync()
    {
        var (botId, _) = await RegisterBotAsync();
        var set = await Client.PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/set", null);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        // What Telegram was told is what it sends back on every delivery.
        var secret = BotApi.CallsOf("setWebhook").Last().Arguments["secret_token"]!.GetValue<string>();
        return (botId, secret);
    }

    // As Telegram: the secret header and no management key.
    private Task<HttpResponseMessage> DeliverAsync(Guid botId, string secret, string update, string from = "149.154.167.50") =>
        DeliverAsync(botId, secret, Json(update), from);

    private async Task<HttpResponseMessage> DeliverAsync(Guid botId, string secret, HttpContent update, string from = "149.154.167.50")
    {
        using var telegram = Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/api/webhooks/telegram/{botId}") { Content = update };
        request.Headers.Add(ReceiverApi.SecretHeader, secret);
        request.Headers.Add("X-Forwarded-For", from);
        return await telegram.SendAsync(request);
    }
}
