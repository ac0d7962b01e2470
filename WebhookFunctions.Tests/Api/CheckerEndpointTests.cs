using System.Net;

namespace WebhookFunctions.Tests.Api;

// POST /v1/api/webhooks/telegram/check and GET /v1/api/webhooks/telegram, end to end through the self-host.
public sealed class CheckerEndpointTests : ApiTestBase
{
    [Fact]
    public async Task Check_runs_a_sweep_now_and_returns_its_report()
    {
        var (botId, token) = await RegisterBotAsync();

        var response = await Client.PostAsync("/v1/api/webhooks/telegram/check", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await ReadObjectAsync(response);
        Assert.Equal("completed", report["status"]!.GetValue<string>());
        Assert.Equal("manual", report["trigger"]!.GetValue<string>());
        Assert.Equal((1, 1, 0), (report["checked"]!.GetValue<int>(), report["refreshed"]!.GetValue<int>(), report["failed"]!.GetValue<int>()));
        var bot = report["bots"]!.AsArray().Single()!.AsObject();
        Assert.Equal(botId, bot["bot_id"]!.GetValue<Guid>());
        Assert.Equal(("refreshed", "url_missing"), (bot["outcome"]!.GetValue<string>(), bot["reason"]!.GetValue<string>()));
        Assert.Equal($"{Support.SelfHostServer.Domain}/v1/api/webhooks/telegram/{botId}", BotApi.Bot(token).Url);
        Assert.DoesNotContain(token.Split(':')[1], report.ToJsonString());
    }

    [Fact]
    public async Task Check_while_another_sweep_runs_is_409()
    {
        var (_, token) = await RegisterBotAsync();
        var held = BotApi.Hold(token, "getWebhookInfo");

        var first = Client.PostAsync("/v1/api/webhooks/telegram/check", null);
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        var second = await Client.PostAsync("/v1/api/webhooks/telegram/check", null);
        held.Release();

        await AssertProblemAsync(second, 409, "sweep-running");
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
    }

    [Fact]
    public async Task Check_and_fleet_need_the_management_key()
    {
        using var anonymous = Host.CreateClient();

        await AssertProblemAsync(await anonymous.PostAsync("/v1/api/webhooks/telegram/check", null), 401, "unauthorized");
        await AssertProblemAsync(await anonymous.GetAsync("/v1/api/webhooks/telegram"), 401, "unauthorized");
        Assert.Empty(BotApi.Calls);
    }

    [Fact]
    public async Task Fleet_lists_each_bots_webhook_state_and_last_check_paged()
    {
        var first = await RegisterBotAsync();
        var second = await RegisterBotAsync(autoRefresh: false);
        await Client.PostAsync("/v1/api/webhooks/telegram/check", null);

        var page = await ReadObjectAsync(await Client.GetAsync("/v1/api/webhooks/telegram?page=1&size=1"));
        var all = await ReadObjectAsync(await Client.GetAsync("/v1/api/webhooks/telegram"));

        Assert.Equal((1, 1, 2), (page["page"]!.GetValue<int>(), page["size"]!.GetValue<int>(), page["total"]!.GetValue<int>()));
        Assert.Single(page["bots"]!.AsArray());
        var bots = all["bots"]!.AsArray().Select(b => b!.AsObject()).ToDictionary(b => b["bot_id"]!.GetValue<Guid>());
        var checkedBot = bots[first.BotId];
        Assert.Equal("refreshed", checkedBot["last_check_outcome"]!.GetValue<string>());
        Assert.True(checkedBot["webhook_enabled"]!.GetValue<bool>());
        Assert.NotNull(checkedBot["last_checked"]);
        Assert.Equal(0, checkedBot["pending_update_count"]!.GetValue<int>());
        var manual = bots[second.BotId];
        Assert.False(manual["auto_refresh"]!.GetValue<bool>());
        Assert.Null(manual["last_check_outcome"]);
        Assert.DoesNotContain(first.Token.Split(':')[1], all.ToJsonString());
    }

    [Theory]
    [InlineData("?size=0", "size")]
    [InlineData("?size=501", "size")]
    [InlineData("?page=0", "page")]
    [InlineData("?page=2147483647", "page")]
    [InlineData("?page=abc", "page")]
    [InlineData("?contested=yes", "contested")]
    [InlineData("?contested=true&contested=false", "contested")]
    public async Task Fleet_with_bad_paging_is_400_naming_the_field(string query, string field)
    {
        var problem = await AssertProblemAsync(await Client.GetAsync("/v1/api/webhooks/telegram" + query), 400, "validation");

        Assert.Equal([field], ErrorFields(problem));
    }
}

// A contested bot through the endpoints: its status and the fleet say so, and the fleet filters on it.
public sealed class ContestedEndpointTests : ApiTestBase
{
    // Real time runs in the self-host: let each manual sweep check the bot again.
    protected override Dictionary<string, string?> Settings => new() { ["Checker:MinCheckInterval"] = "00:00:00" };

    [Fact]
    public async Task Status_and_fleet_show_a_contested_bot_and_its_rivals_host_only()
    {
        var (botId, token) = await RegisterBotAsync();
        await Client.PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/set", null);
        using var rival = new Checking.RivalClient(BotApi);
        const string rivalUrl = "https://rival.example.org/hook/SECRETpathPART";
        await rival.SetWebhookAsync(token, rivalUrl);
        await Client.PostAsync("/v1/api/webhooks/telegram/check", null);
        await rival.SetWebhookAsync(token, rivalUrl);

        var report = await ReadObjectAsync(await Client.PostAsync("/v1/api/webhooks/telegram/check", null));
        var status = await ReadObjectAsync(await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status"));
        var contested = await ReadObjectAsync(await Client.GetAsync("/v1/api/webhooks/telegram?contested=true"));
        var calm = await ReadObjectAsync(await Client.GetAsync("/v1/api/webhooks/telegram?contested=false"));

        Assert.Equal(1, report["contested"]!.GetValue<int>());
        Assert.True(status["contested"]!.GetValue<bool>());
        Assert.Equal("https://rival.example.org", status["rival_host"]!.GetValue<string>());
        Assert.NotNull(status["contested_since"]);
        Assert.Equal(1, status["sweeps_until_probe"]!.GetValue<int>());
        var line = contested["bots"]!.AsArray().Single()!.AsObject();
        Assert.Equal((botId, true, "https://rival.example.org"), (line["bot_id"]!.GetValue<Guid>(), line["contested"]!.GetValue<bool>(), line["rival_host"]!.GetValue<string>()));
        Assert.Equal(0, calm["total"]!.GetValue<int>());
        Assert.DoesNotContain("SECRETpathPART", contested.ToJsonString());
    }
}

// Without a public URL a sweep must not "repair" every bot to nothing: it reports why and checks nothing.
public sealed class CheckerEndpointWithoutUrlTests : ApiTestBase
{
    protected override Dictionary<string, string?> Settings => new()
    {
        ["Webhook:Mode"] = "Tunnel",
        ["Ngrok:ApiUrl"] = "http://127.0.0.1:9",
        ["Ngrok:Path"] = "/nonexistent/ngrok",
    };

    [Fact]
    public async Task Check_without_a_webhook_url_is_503_and_calls_no_bot()
    {
        await RegisterBotAsync();

        var problem = await AssertProblemAsync(await Client.PostAsync("/v1/api/webhooks/telegram/check", null), 503, "webhook-url-unavailable");

        Assert.Contains("ngrok", problem["detail"]!.GetValue<string>());
        Assert.Empty(BotApi.CallsOf("getWebhookInfo"));
    }
}
