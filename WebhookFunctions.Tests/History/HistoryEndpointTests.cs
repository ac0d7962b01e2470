using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Api;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.History;

/// <summary>GET /v1/api/webhooks/telegram/{botId}/webhook/history through the self-host, with the changes that fill it.</summary>
public sealed class HistoryEndpointTests : ApiTestBase
{
    // Every sweep checks every bot, so repeated sweeps can show that nothing new is recorded.
    protected override Dictionary<string, string?>? Settings => new() { ["Checker:MinCheckInterval"] = "00:00:00" };

    [Fact]
    public async Task An_operators_changes_are_listed_newest_first_by_the_api_actor()
    {
        var (botId, _) = await RegisterBotAsync(autoRefresh: false);
        await PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/set");
        await PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/delete");
        var token = TestTokens.New();
        BotApi.AddBot(token);
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"/v1/api/bots/{botId}/platforms/telegram", new { credentials = new { token } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.DeleteAsync($"/v1/api/bots/{botId}/platforms/telegram")).StatusCode);

        var entries = await EntriesAsync(botId);

        Assert.Equal(["deactivated", "token_replaced", "webhook_deleted", "webhook_set", "registered"], entries.Select(e => (string)e["kind"]!));
        Assert.All(entries, e => Assert.Equal("api", (string)e["actor"]!));
        Assert.Equal($"{SelfHostServer.Domain}/v1/api/webhooks/telegram/{botId}", (string)entries[3]["url"]!);
        var ids = entries.Select(e => (long)e["id"]!).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
    }

    [Fact]
    public async Task A_healthy_bot_checked_again_and_again_adds_nothing()
    {
        var (botId, _) = await RegisterBotAsync();
        await PostAsync("/v1/api/webhooks/telegram/check");
        var afterFirst = await EntriesAsync(botId);

        await PostAsync("/v1/api/webhooks/telegram/check");
        await PostAsync("/v1/api/webhooks/telegram/check");

        // The first sweep set the never-set webhook (a change: unchecked -> healthy); the next two found it healthy.
        Assert.Equal(["state_changed", "webhook_set", "registered"], afterFirst.Select(e => (string)e["kind"]!));
        Assert.Equal("checker", (string)afterFirst[1]["actor"]!);
        Assert.Equal("url_missing", (string)afterFirst[1]["reason"]!);
        Assert.Equal(("unchecked", "healthy"), ((string)afterFirst[0]["from_state"]!, (string)afterFirst[0]["to_state"]!));
        Assert.Equal(Text(afterFirst), Text(await EntriesAsync(botId)));
    }

    [Fact]
    public async Task Failing_and_recovering_are_recorded_as_state_changes_with_the_failure_class()
    {
        var (botId, token) = await RegisterBotAsync();
        await PostAsync("/v1/api/webhooks/telegram/check");
        BotApi.Fail(token, "getWebhookInfo", Fault.ServerError());
        await PostAsync("/v1/api/webhooks/telegram/check");
        await PostAsync("/v1/api/webhooks/telegram/check");

        var changes = (await EntriesAsync(botId)).Where(e => (string)e["kind"]! == "state_changed").ToList();

        Assert.Equal([("failing", "healthy"), ("healthy", "failing"), ("unchecked", "healthy")],
            changes.Select(e => ((string)e["from_state"]!, (string)e["to_state"]!)));
        Assert.Equal("unavailable", (string)changes[1]["reason"]!);
        Assert.Equal("checker", (string)changes[1]["actor"]!);
    }

    [Fact]
    public async Task A_delivery_error_is_recorded_once_per_distinct_last_error_date()
    {
        var (botId, token) = await RegisterBotAsync();
        await PostAsync("/v1/api/webhooks/telegram/check");
        var first = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 30);
        BotApi.Bot(token).LastErrorDate = first;
        BotApi.Bot(token).LastErrorMessage = "Wrong response from the webhook: 502 Bad Gateway";

        await PostAsync("/v1/api/webhooks/telegram/check");
        await PostAsync("/v1/api/webhooks/telegram/check");
        BotApi.Bot(token).LastErrorDate = first.AddSeconds(20);
        BotApi.Bot(token).LastErrorMessage = "Connection timed out";
        await PostAsync("/v1/api/webhooks/telegram/check");

        var errors = (await EntriesAsync(botId)).Where(e => (string)e["kind"]! == "delivery_error").ToList();
        Assert.Equal(2, errors.Count);
        Assert.Equal(first.AddSeconds(20).UtcDateTime, errors[0]["telegram_error_at"]!.GetValue<DateTime>());
        Assert.Equal("Connection timed out", (string)errors[0]["message"]!);
        Assert.Equal(first.UtcDateTime, errors[1]["telegram_error_at"]!.GetValue<DateTime>());
        Assert.Equal("telegram", (string)errors[1]["actor"]!);
    }

    [Fact]
    public async Task No_token_or_secret_is_ever_in_the_history()
    {
        var (botId, token) = await RegisterBotAsync();
        await PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/set");
        await PostAsync("/v1/api/webhooks/telegram/check");
        BotApi.Revoke(token);
        Assert.Equal(422, (int)(await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status")).StatusCode);
        string secret;
        await using (var db = Host.NewDb())
        {
            secret = (await db.Credentials.SingleAsync(c => c.BotId == botId)).WebhookSecret!;
        }

        var body = await Client.GetStringAsync($"/v1/api/webhooks/telegram/{botId}/webhook/history");
        await using var check = Host.NewDb();
        var stored = System.Text.Json.JsonSerializer.Serialize(await check.Set<WebhookHistoryEntry>().AsNoTracking().ToListAsync());

        Assert.Contains("token_rejected", body);
        foreach (var text in new[] { body, stored })
        {
            Assert.DoesNotContain(token, text);
            Assert.DoesNotContain(token.Split(':')[1], text);
            Assert.DoesNotContain(secret, text);
        }
    }

    [Fact]
    public async Task Pages_follow_the_before_cursor_until_next_before_is_null()
    {
        var (botId, _) = await RegisterBotAsync(autoRefresh: false);
        for (var i = 0; i < 3; i++)
        {
            await PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/set");
            await PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/delete");
        }
        var all = await EntriesAsync(botId);

        var seen = new List<long>();
        long? before = null;
        var pages = 0;
        do
        {
            var page = await ReadObjectAsync(await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/history?limit=3" + (before is { } b ? $"&before={b}" : "")));
            var entries = page["entries"]!.AsArray();
            Assert.InRange(entries.Count, 1, 3);
            seen.AddRange(entries.Select(e => (long)e!["id"]!));
            before = page["next_before"]?.GetValue<long>();
            pages++;
        }
        while (before is not null);

        Assert.Equal(7, all.Count);
        Assert.Equal(3, pages);
        Assert.Equal(all.Select(e => (long)e["id"]!), seen);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("before=0", "before")]
    [InlineData("before=abc", "before")]
    [InlineData("limit=5&limit=6", "limit")]
    public async Task Limit_and_before_out_of_bounds_are_400_naming_the_parameter(string query, string field)
    {
        var (botId, _) = await RegisterBotAsync();

        var problem = await AssertProblemAsync(await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/history?{query}"), 400, "validation");

        Assert.Equal([field], ErrorFields(problem));
    }

    [Fact]
    public async Task The_history_needs_the_management_key_a_uuid_and_a_known_bot()
    {
        var (botId, _) = await RegisterBotAsync();
        using var anonymous = Host.CreateClient();

        await AssertProblemAsync(await anonymous.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/history"), 401, "unauthorized");
        Assert.Equal(["bot_id"], ErrorFields(await AssertProblemAsync(await Client.GetAsync("/v1/api/webhooks/telegram/not-a-uuid/webhook/history"), 400, "validation")));
        await AssertProblemAsync(await Client.GetAsync($"/v1/api/webhooks/telegram/{Guid.NewGuid()}/webhook/history"), 404, "bot-not-found");
    }

    private async Task PostAsync(string path)
    {
        var response = await Client.PostAsync(path, null);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<List<JsonObject>> EntriesAsync(Guid botId) =>
        (await ReadObjectAsync(await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/history?limit=200")))["entries"]!
            .AsArray().Select(e => e!.AsObject()).ToList();

    private static string Text(List<JsonObject> entries) => string.Join("\n", entries.Select(e => e.ToJsonString()));
}
