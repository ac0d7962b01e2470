using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Checking;

namespace WebhookFunctions.Tests.Api;

// The set endpoint of a self-host in Tunnel mode refuses to take over a deployed bot's webhook: 409 problem JSON.
public sealed class TakeoverEndpointTests : ApiTestBase
{
    private NgrokAgentStandIn _agent = null!;

    protected override Dictionary<string, string?>? Settings => new()
    {
        ["Webhook:Mode"] = "Tunnel",
        ["Ngrok:ApiUrl"] = _agent.ApiUrl,
        ["Ngrok:Port"] = "7071",
        ["Ngrok:Path"] = Path.Combine(Path.GetTempPath(), "no-such-ngrok-" + Guid.NewGuid().ToString("N")),
    };

    public override async Task InitializeAsync()
    {
        _agent = await NgrokAgentStandIn.StartAsync();
        _agent.AddTunnel("https://dev-box.ngrok-free.app", "http://localhost:7071");
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _agent.DisposeAsync();
    }

    [Fact]
    public async Task Set_of_a_bot_on_a_deployed_domain_is_409_naming_the_setting_and_changes_nothing()
    {
        var (botId, token) = await RegisterBotAsync();
        using var deployment = new RivalClient(BotApi);
        var deployed = $"https://bots.production.example/v1/api/webhooks/telegram/{botId}";
        await deployment.SetWebhookAsync(token, deployed);
        var before = await Host.SnapshotAsync();

        var response = await Client.PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/set", null);

        var problem = await AssertProblemAsync(response, 409, "webhook-takeover-refused");
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("Webhook:AllowTakeover=true", detail);
        Assert.Contains("Webhook__AllowTakeover=true", detail);
        Assert.Contains("https://bots.production.example", detail);
        Assert.Equal(deployed, BotApi.Bot(token).Url);
        Assert.Equal(before, await Host.SnapshotAsync());
    }
}
