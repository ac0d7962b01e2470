using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Receiving;

namespace WebhookFunctions.Tests.Receiving;

// The happy path against real Azurite: what lands on the queue and what is recorded.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class UpdateReceiverTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ReceiverHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ReceiverHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Accepted_update_is_on_the_queue_once_with_bot_id_update_id_received_at_and_the_update_intact()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        var update = ReceiverHarness.Update(10001, "/menu");

        var result = await _harness.DeliverAsync(botId, secret, update);

        Assert.Equal(ReceiveOutcome.Accepted, result.Outcome);
        Assert.Equal(200, ReceiverApi.StatusOf(result.Outcome));
        var message = QueuedUpdate.Parse(Assert.Single(await _harness.MessagesAsync()).Body);
        Assert.Equal(botId, message.BotId);
        Assert.Equal(10001, message.UpdateId);
        Assert.Equal(_harness.Domain.Time.GetUtcNow(), message.ReceivedAt);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(update), JsonNode.Parse(message.Update.GetRawText())));
    }

    [Fact]
    public async Task Message_is_snake_case_json_encoded_as_base64_as_the_functions_queue_trigger_expects()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        var update = ReceiverHarness.Update(10002);

        await _harness.DeliverAsync(botId, secret, update);

        var raw = Assert.Single(await azurite.PeekAllAsync(_harness.QueueName, QueueMessageEncoding.None)).MessageText;
        var json = JsonNode.Parse(Convert.FromBase64String(raw))!.AsObject();
        Assert.Equal(["id", "bot_id", "update_id", "received_at", "update"], json.Select(p => p.Key));
        Assert.Equal(botId.ToString(), json["bot_id"]!.GetValue<string>());
        Assert.Equal("2026-11-24T12:00:00+00:00", json["received_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_is_copied_verbatim_so_unknown_fields_and_big_numbers_survive()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        var update = """{"update_id":10003, "future_field":{"id":123456789012345678901234567890,"x":1.50},"text":"caf\u00e9 <b>"}""";

        await _harness.DeliverAsync(botId, secret, update);

        var message = QueuedUpdate.Parse(Assert.Single(await _harness.MessagesAsync()).Body);
        Assert.Equal(update, message.Update.GetRawText());
    }

    [Fact]
    public async Task Update_too_big_verbatim_is_enqueued_compact_with_the_same_json_value()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        // Telegram escapes non-ASCII as \uXXXX: 4096 Cyrillic letters take 24 KiB, twice with a reply.
        var text = string.Concat(Enumerable.Repeat("\\u0431\\u043e\\u0440\\u0449", 1024));
        var update = "{\"update_id\":10004,\"message\":{\"text\":\"" + text + "\",\"reply_to_message\":{\"text\":\"" + text + "\"}}}";
        Assert.True(Encoding.UTF8.GetByteCount(update) > UpdateQueue.MaxMessageBytes * 3 / 4);

        var result = await _harness.DeliverAsync(botId, secret, update);

        Assert.Equal(ReceiveOutcome.Accepted, result.Outcome);
        var message = QueuedUpdate.Parse(Assert.Single(await _harness.MessagesAsync()).Body);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(update), JsonNode.Parse(message.Update.GetRawText())));
    }

    [Fact]
    public async Task Update_that_fits_no_queue_message_is_too_large_and_nothing_is_recorded()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        var update = $$$"""{"update_id":10005,"message":{"text":"{{{new string('a', 60_000)}}}"}}""";

        var result = await _harness.DeliverAsync(botId, secret, update);

        Assert.Equal(ReceiveOutcome.TooLarge, result.Outcome);
        Assert.Equal(413, ReceiverApi.StatusOf(result.Outcome));
        Assert.Empty(await _harness.MessagesAsync());
        Assert.Empty(await _harness.ReceivedRowsAsync());
    }

    [Fact]
    public async Task Last_update_time_is_recorded_without_renewing_the_concurrency_stamp()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        var before = await _harness.Domain.ReloadAsync(botId);
        _harness.Domain.Time.Advance(TimeSpan.FromMinutes(7));

        await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(10006));

        var after = await _harness.Domain.ReloadAsync(botId);
        Assert.Equal(_harness.Domain.Time.GetUtcNow().UtcDateTime, after.LastUpdateReceivedAt);
        Assert.Equal(before.ConcurrencyStamp, after.ConcurrencyStamp);
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
    }

    [Fact]
    public async Task Accepted_update_is_recorded_as_delivered()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();

        await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(10007));

        var row = Assert.Single(await _harness.ReceivedRowsAsync());
        Assert.Equal((botId, 10007L), (row.BotId, row.UpdateId));
        Assert.Equal(_harness.Domain.Time.GetUtcNow().UtcDateTime, row.EnqueuedAt);
    }

    [Fact]
    public async Task Same_update_id_of_two_bots_is_enqueued_for_each()
    {
        var a = await _harness.AddBotWithWebhookAsync();
        var b = await _harness.AddBotWithWebhookAsync();

        await _harness.DeliverAsync(a.BotId, a.Secret, ReceiverHarness.Update(10008));
        await _harness.DeliverAsync(b.BotId, b.Secret, ReceiverHarness.Update(10008));

        var bots = (await _harness.MessagesAsync()).Select(m => QueuedUpdate.Parse(m.Body).BotId);
        Assert.Equal(new[] { a.BotId, b.BotId }.Order(), bots.Order());
    }

    [Fact]
    public async Task No_log_line_holds_the_secret_or_the_body()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        var other = await _harness.AddBotWithWebhookAsync();
        const string Marker = "BODYMARKER-7f3a";

        await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(10009, Marker));
        await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(10009, Marker));
        await _harness.DeliverAsync(botId, secret + "x", ReceiverHarness.Update(10010, Marker));
        await _harness.DeliverAsync(botId, other.Secret, ReceiverHarness.Update(10011, Marker));
        await _harness.DeliverAsync(botId, secret, "{\"text\":\"" + Marker + "\"}");
        await _harness.DeliverAsync(Guid.NewGuid(), secret, ReceiverHarness.Update(10012, Marker));

        var logs = _harness.Domain.Logs.AllText;
        Assert.Contains(botId.ToString(), logs);
        Assert.DoesNotContain(secret, logs);
        Assert.DoesNotContain(other.Secret, logs);
        Assert.DoesNotContain(Marker, logs);
    }

    [Fact]
    public async Task Rows_older_than_the_deduplication_window_are_pruned_as_updates_arrive()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(10013));
        _harness.Domain.Time.Advance(TimeSpan.FromHours(25));

        await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(10014));

        Assert.Equal([10014L], (await _harness.ReceivedRowsAsync()).Select(r => r.UpdateId));
    }
}
