using System.Net;
using System.Net.Http.Json;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Api;

public sealed class CredentialEndpointTests : ApiTestBase
{
    private static string Platforms(Guid botId) => $"/v1/api/bots/{botId}/platforms";

    [Fact]
    public async Task Register_returns_201_with_a_masked_token_hint()
    {
        var botId = Guid.NewGuid();
        var token = TestTokens.New();

        var response = await Client.PostAsJsonAsync(Platforms(botId), new { platform = "telegram", credentials = new { token }, is_active = true, webhook_auto_refresh = false });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await ReadObjectAsync(response);
        Assert.Equal(botId, body["bot_id"]!.GetValue<Guid>());
        Assert.False(body["webhook_auto_refresh"]!.GetValue<bool>());
        Assert.StartsWith(token.Split(':')[0] + ":", body["token_hint"]!.GetValue<string>());
        Assert.DoesNotContain(token.Split(':')[1], body.ToJsonString());
        Assert.False(body.ContainsKey("credentials"));
    }

    [Fact]
    public async Task Register_stores_a_webhook_secret_before_any_set_so_the_first_delivery_can_be_verified()
    {
        var (botId, _) = await RegisterBotAsync();

        await using var db = Host.NewDb();
        var stored = db.Credentials.Single(c => c.BotId == botId);
        Assert.True(Domain.Webhooks.WebhookConfigValidator.IsValidSecret(stored.WebhookSecret));
    }

    [Fact]
    public async Task Second_active_credential_is_409_and_the_first_stays()
    {
        var (botId, _) = await RegisterBotAsync();
        var before = await Host.SnapshotAsync();

        var response = await Client.PostAsJsonAsync(Platforms(botId), new { platform = "telegram", credentials = new { token = TestTokens.New() } });

        await AssertProblemAsync(response, 409, "conflict");
        Assert.Equal(before, await Host.SnapshotAsync());
    }

    [Theory]
    [InlineData("{\"platform\":\"telegram\",\"credentials\":{\"token\":\"12345\"}}", "credentials.token")]
    [InlineData("{\"platform\":\"telegram\",\"credentials\":{\"token\":\"abc:ABCDEFGHIJKLMNOPQRSTUVWXYZ\"}}", "credentials.token")]
    [InlineData("{\"platform\":\"telegram\",\"credentials\":{}}", "credentials.token")]
    [InlineData("{\"platform\":\"telegram\",\"credentials\":{\"token\":\"123:ABCDEFGHIJKLMNOPQRSTUVWXYZ\\n\"}}", "credentials.token")]
    [InlineData("{\"platform\":\"whatsapp\",\"credentials\":{\"token\":\"123:ABCDEFGHIJKLMNOPQRSTUVWXYZ\"}}", "platform")]
    [InlineData("{\"platform\":\"telegram\",\"credentials\":{\"token\":\"123:ABCDEFGHIJKLMNOPQRSTUVWXYZ\",\"extra\":1}}", "credentials.extra")]
    [InlineData("{\"platform\":\"telegram\",\"credentials\":{\"token\":\"123:ABCDEFGHIJKLMNOPQRSTUVWXYZ\"},\"is_active\":\"yes\"}", "is_active")]
    [InlineData("", "body")]
    public async Task Bad_registration_is_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var botId = Guid.NewGuid();

        var response = await Client.PostAsync(Platforms(botId), Json(body));

        Assert.Contains(field, ErrorFields(await AssertProblemAsync(response, 400, "validation")));
        Assert.Equal("[]", await Host.SnapshotAsync());
    }

    [Fact]
    public async Task Put_replaces_the_token_and_clears_a_rejection()
    {
        var (botId, _) = await RegisterBotAsync(knownToTelegram: false);
        await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status");
        var newToken = TestTokens.New();
        BotApi.AddBot(newToken);

        var response = await Client.PutAsJsonAsync($"{Platforms(botId)}/telegram", new { credentials = new { token = newToken } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadObjectAsync(response);
        Assert.False(body["token_rejected"]!.GetValue<bool>());
        Assert.StartsWith(newToken.Split(':')[0] + ":", body["token_hint"]!.GetValue<string>());
        var status = await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task Put_creates_when_there_is_no_credential()
    {
        var botId = Guid.NewGuid();

        var response = await Client.PutAsJsonAsync($"{Platforms(botId)}/telegram", new { credentials = new { token = TestTokens.New() } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Fifty_concurrent_puts_creating_one_credential_answer_one_201_and_the_rest_200()
    {
        var botId = Guid.NewGuid();
        var body = new { credentials = new { token = TestTokens.New() }, webhook_auto_refresh = true };

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Client.PutAsJsonAsync($"{Platforms(botId)}/telegram", body)));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(49, statuses.Count(s => s == HttpStatusCode.OK));
        await using var db = Host.NewDb();
        Assert.Equal(1, db.Credentials.Count(c => c.BotId == botId && c.IsActive));
    }

    [Fact]
    public async Task Put_changes_a_flag_without_touching_the_token()
    {
        var (botId, token) = await RegisterBotAsync();

        var response = await Client.PutAsJsonAsync($"{Platforms(botId)}/telegram", new { webhook_auto_refresh = false });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await ReadObjectAsync(response))["webhook_auto_refresh"]!.GetValue<bool>());
        await using var db = Host.NewDb();
        Assert.Equal(token, Domain.Persistence.BotToken.Read(db.Credentials.Single(c => c.BotId == botId).Credentials));
    }

    [Fact]
    public async Task List_shows_every_credential_with_masked_tokens()
    {
        var (botId, token) = await RegisterBotAsync();
        await Client.DeleteAsync($"{Platforms(botId)}/telegram");
        await Client.PostAsJsonAsync(Platforms(botId), new { platform = "telegram", credentials = new { token = TestTokens.New() } });

        var response = await Client.GetAsync(Platforms(botId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = (await System.Text.Json.Nodes.JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync()))!.AsArray();
        Assert.Equal(2, list.Count);
        Assert.True(list[0]!["is_active"]!.GetValue<bool>());
        Assert.False(list[1]!["is_active"]!.GetValue<bool>());
        Assert.DoesNotContain(token.Split(':')[1], list.ToJsonString());
    }

    [Fact]
    public async Task Delete_removes_the_webhook_at_telegram_then_deactivates()
    {
        var (botId, token) = await RegisterBotAsync();
        await Client.PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/set", null);

        var response = await Client.DeleteAsync($"{Platforms(botId)}/telegram");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadObjectAsync(response);
        Assert.True(body["deactivated"]!.GetValue<bool>());
        Assert.True(body["webhook_deleted"]!.GetValue<bool>());
        Assert.Equal("", BotApi.Bot(token).Url);
    }

    [Fact]
    public async Task Delete_reports_a_telegram_failure_and_deactivates_all_the_same()
    {
        var (botId, token) = await RegisterBotAsync();
        BotApi.Fail(token, "deleteWebhook", Fault.ServerError());

        var response = await Client.DeleteAsync($"{Platforms(botId)}/telegram");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadObjectAsync(response);
        Assert.True(body["deactivated"]!.GetValue<bool>());
        Assert.False(body["webhook_deleted"]!.GetValue<bool>());
        Assert.Contains("500", body["webhook_error"]!.GetValue<string>());
        await AssertProblemAsync(await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status"), 404, "bot-not-found");
    }
}
