using System.Net;
using System.Net.Http.Json;

namespace WebhookFunctions.Tests.Api;

// The seed's integration flow (docs/spec.md#10-testing) against the self-host, end to end.
public sealed class SeedFlowTests : ApiTestBase
{
    private static readonly string[] MessagesAndCallbacks = ["message", "callback_query"];

    [Fact]
    public async Task Register_set_status_delete_works_end_to_end()
    {
        var (botId, token) = await RegisterBotAsync();

        var set = await Client.PostAsJsonAsync($"/v1/api/webhooks/telegram/{botId}/webhook/set",
            new { drop_pending_updates = true, max_connections = 40, allowed_updates = MessagesAndCallbacks });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var setBody = await ReadObjectAsync(set);
        Assert.Equal($"https://hooks.example.test/v1/api/webhooks/telegram/{botId}", setBody["url"]!.GetValue<string>());
        Assert.True(setBody["url_matches"]!.GetValue<bool>());

        var status = await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var statusBody = await ReadObjectAsync(status);
        Assert.Equal(0, statusBody["pending_update_count"]!.GetValue<int>());
        Assert.Equal(40, statusBody["max_connections"]!.GetValue<int>());
        Assert.True(statusBody.ContainsKey("last_synchronization_error_date"));
        Assert.True(statusBody["webhook_enabled"]!.GetValue<bool>());

        var delete = await Client.PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/delete", null);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.True((await ReadObjectAsync(delete))["success"]!.GetValue<bool>());
        Assert.Equal("", BotApi.Bot(token).Url);
    }

    [Fact]
    public async Task Set_without_a_body_uses_defaults()
    {
        var (botId, _) = await RegisterBotAsync();

        var set = await Client.PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/set", null);

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.False(BotApi.CallsOf("setWebhook").Single().Arguments["drop_pending_updates"]?.GetValue<bool>() ?? false);
    }

    [Fact]
    public async Task Responses_never_echo_the_token_or_the_secret()
    {
        var (botId, token) = await RegisterBotAsync();
        var secretPart = token.Split(':')[1];

        var bodies = new List<string>
        {
            await (await Client.PostAsJsonAsync($"/v1/api/webhooks/telegram/{botId}/webhook/set", new { secret_token = "EchoProbe_secret" })).Content.ReadAsStringAsync(),
            await (await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status")).Content.ReadAsStringAsync(),
            await (await Client.GetAsync($"/v1/api/bots/{botId}/platforms")).Content.ReadAsStringAsync(),
            await (await Client.PutAsJsonAsync($"/v1/api/bots/{botId}/platforms/telegram", new { webhook_auto_refresh = false })).Content.ReadAsStringAsync(),
        };

        Assert.All(bodies, b => Assert.DoesNotContain(secretPart, b));
        Assert.All(bodies, b => Assert.DoesNotContain("EchoProbe_secret", b));
        Assert.DoesNotContain(secretPart, Host.Logs.AllText);
        Assert.DoesNotContain("EchoProbe_secret", Host.Logs.AllText);
    }
}
