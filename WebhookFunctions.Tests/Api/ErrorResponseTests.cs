using System.Net.Http.Json;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Api;

// Every error row of the HTTP issue: status, problem body naming the field and rule, and nothing written.
public sealed class ErrorResponseTests : ApiTestBase
{
    private static string SetUrl(Guid botId) => $"/v1/api/webhooks/telegram/{botId}/webhook/set";

    [Theory]
    [InlineData("{\"max_connections\": 10", "body")]
    [InlineData("{\"max_connections\": \"10\"}", "max_connections")]
    [InlineData("{\"drop_pending_updates\": 1}", "drop_pending_updates")]
    [InlineData("{\"allowed_updates\": \"message\"}", "allowed_updates")]
    [InlineData("{\"allowed_updates\": [\"message\", 3]}", "allowed_updates")]
    [InlineData("{\"max_connection\": 10}", "max_connection")]
    [InlineData("[1, 2]", "body")]
    [InlineData("{\"drop_pending_updates\": true, \"drop_pending_updates\": false}", "body")]
    [InlineData("{\"max_connections\": 0}", "max_connections")]
    [InlineData("{\"max_connections\": 101}", "max_connections")]
    [InlineData("{\"secret_token\": \"with space\"}", "secret_token")]
    [InlineData("{\"secret_token\": \"\"}", "secret_token")]
    [InlineData("{\"secret_token\": \"my-test-secret\\n\"}", "secret_token")]
    [InlineData("{\"allowed_updates\": [\"message\", \"telepathy\"]}", "allowed_updates")]
    public async Task Bad_set_body_is_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        var (botId, _) = await RegisterBotAsync();
        var before = await Host.SnapshotAsync();

        var response = await Client.PostAsync(SetUrl(botId), Json(body));

        var problem = await AssertProblemAsync(response, 400, "validation");
        Assert.Contains(field, ErrorFields(problem));
        Assert.False(string.IsNullOrWhiteSpace(problem["errors"]![field]![0]!.GetValue<string>()));
        Assert.Equal(before, await Host.SnapshotAsync());
        Assert.Empty(BotApi.CallsOf("setWebhook"));
    }

    [Fact]
    public async Task Invalid_utf8_body_is_400_saying_it_is_not_utf8_json()
    {
        var (botId, _) = await RegisterBotAsync();
        var body = new ByteArrayContent([.. "{\"secret_token\":\"ab"u8, 0xFF, 0xFE, .. "\"}"u8]);
        body.Headers.ContentType = new("application/json");

        var response = await Client.PostAsync(SetUrl(botId), body);

        var problem = await AssertProblemAsync(response, 400, "validation");
        Assert.StartsWith("must be valid UTF-8 JSON", problem["errors"]!["body"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(BotApi.CallsOf("setWebhook"));
    }

    [Fact]
    public async Task A_secret_token_of_257_characters_is_rejected()
    {
        var (botId, _) = await RegisterBotAsync();

        var response = await Client.PostAsJsonAsync(SetUrl(botId), new { secret_token = new string('a', 257) });

        Assert.Equal(["secret_token"], ErrorFields(await AssertProblemAsync(response, 400, "validation")));
    }

    [Fact]
    public async Task Bot_id_that_is_not_a_uuid_is_400_naming_bot_id()
    {
        var response = await Client.GetAsync("/v1/api/webhooks/telegram/not-a-uuid/webhook/status");

        Assert.Equal(["bot_id"], ErrorFields(await AssertProblemAsync(response, 400, "validation")));
    }

    [Fact]
    public async Task Body_over_64_KiB_is_413_and_writes_nothing()
    {
        var (botId, _) = await RegisterBotAsync();
        var before = await Host.SnapshotAsync();
        var huge = "{\"secret_token\":\"" + new string('a', 70 * 1024) + "\"}";

        var response = await Client.PostAsync(SetUrl(botId), Json(huge));

        await AssertProblemAsync(response, 413, "payload-too-large");
        Assert.Equal(before, await Host.SnapshotAsync());
    }

    [Fact]
    public async Task Non_json_content_type_is_415()
    {
        var (botId, _) = await RegisterBotAsync();

        var response = await Client.PostAsync(SetUrl(botId), new StringContent("max_connections=5", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        await AssertProblemAsync(response, 415, "unsupported-media-type");
    }

    [Fact]
    public async Task Unknown_bot_is_404()
    {
        var botId = Guid.NewGuid();

        var response = await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status");

        var problem = await AssertProblemAsync(response, 404, "bot-not-found");
        Assert.Contains(botId.ToString(), problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deactivated_bot_is_404()
    {
        var (botId, _) = await RegisterBotAsync();
        await Client.DeleteAsync($"/v1/api/bots/{botId}/platforms/telegram");

        var response = await Client.PostAsync(SetUrl(botId), null);

        await AssertProblemAsync(response, 404, "bot-not-found");
    }

    [Fact]
    public async Task Telegram_rate_limit_is_429_with_retry_after()
    {
        var (botId, token) = await RegisterBotAsync();
        BotApi.Fail(token, "setWebhook", Fault.TooManyRequests(17));

        var response = await Client.PostAsync(SetUrl(botId), null);

        var problem = await AssertProblemAsync(response, 429, "telegram-rate-limited");
        Assert.Equal("17", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal(17, problem["retry_after"]!.GetValue<int>());
        Assert.Single(BotApi.CallsOf("setWebhook"));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(404)]
    public async Task Token_rejected_by_telegram_is_422_saying_what_to_do(int code)
    {
        var (botId, token) = await RegisterBotAsync();
        BotApi.Fail(token, "getWebhookInfo", code == 401 ? Fault.Unauthorized() : Fault.NotFound());

        var response = await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status");

        var problem = await AssertProblemAsync(response, 422, "telegram-token-rejected");
        Assert.Contains("PUT /v1/api/bots/", problem["detail"]!.GetValue<string>());
        Assert.DoesNotContain(token.Split(':')[1], problem.ToJsonString());
    }

    [Fact]
    public async Task Telegram_bad_request_passes_its_description_on()
    {
        var (botId, token) = await RegisterBotAsync();
        BotApi.Fail(token, "setWebhook", Fault.BadRequest("Bad Request: bad webhook: Failed to resolve host: Name or service not known"));

        var response = await Client.PostAsync(SetUrl(botId), null);

        var problem = await AssertProblemAsync(response, 422, "telegram-bad-request");
        Assert.Equal("Bad Request: bad webhook: Failed to resolve host: Name or service not known", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("500", 502, "telegram-unavailable")]
    [InlineData("html", 502, "telegram-unavailable")]
    [InlineData("timeout", 504, "telegram-timeout")]
    public async Task Telegram_failing_and_timing_out_are_told_apart(string fault, int status, string type)
    {
        var (botId, token) = await RegisterBotAsync();
        BotApi.Fail(token, "getWebhookInfo", fault switch
        {
            "500" => Fault.ServerError(),
            "html" => Fault.BadGatewayHtml(),
            _ => Fault.Timeout(TimeSpan.FromSeconds(5)),
        });

        var response = await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status");

        await AssertProblemAsync(response, status, type);
    }

    [Fact]
    public async Task Telegram_unreachable_is_502_unreachable()
    {
        var (botId, _) = await RegisterBotAsync();
        await BotApi.DisposeAsync();

        var response = await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status");

        await AssertProblemAsync(response, 502, "telegram-unreachable");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-wrong-key-wrong-key-000")]
    public async Task Missing_or_wrong_key_is_401(string? key)
    {
        using var anonymous = Host.CreateClient();
        if (key is not null)
        {
            anonymous.DefaultRequestHeaders.Add("x-functions-key", key);
        }

        var response = await anonymous.GetAsync($"/v1/api/webhooks/telegram/{Guid.NewGuid()}/webhook/status");

        await AssertProblemAsync(response, 401, "unauthorized");
    }

    [Fact]
    public async Task Key_in_the_code_query_parameter_is_accepted()
    {
        var (botId, _) = await RegisterBotAsync();
        using var anonymous = Host.CreateClient();

        var response = await anonymous.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status?code={Support.SelfHostServer.ApiKey}");

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Unknown_route_is_problem_json()
    {
        var response = await Client.GetAsync("/v1/api/nothing-here");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
