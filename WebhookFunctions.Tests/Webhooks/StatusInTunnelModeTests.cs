using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Webhooks;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Webhooks;

// A status read reports the expected URL it can know, but never creates a tunnel or starts ngrok.
public sealed class StatusInTunnelModeTests : IAsyncLifetime
{
    private NgrokAgentStandIn _agent = null!;
    private DomainHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _agent = await NgrokAgentStandIn.StartAsync();
        _harness = await DomainHarness.StartAsync(new()
        {
            ["Webhook:Mode"] = "Tunnel",
            ["Ngrok:ApiUrl"] = _agent.ApiUrl,
            ["Ngrok:Port"] = "7071",
            ["Ngrok:Path"] = Path.Combine(Path.GetTempPath(), "no-such-ngrok-" + Guid.NewGuid().ToString("N")),
        });
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _agent.DisposeAsync();
    }

    private Task<WebhookStatus> StatusAsync(Guid botId) =>
        _harness.InScopeAsync(sp => sp.GetRequiredService<WebhookService>().GetStatusAsync(botId, default));

    [Fact]
    public async Task Without_a_tunnel_the_expected_url_is_unknown_and_none_is_created()
    {
        var bot = await _harness.AddBotAsync();

        var status = await StatusAsync(bot.BotId);

        Assert.Null(status.ExpectedUrl);
        Assert.False(status.UrlMatches);
        Assert.NotEmpty(_agent.CallsOf("GET"));
        Assert.Empty(_agent.CallsOf("POST"));
    }

    [Fact]
    public async Task With_a_tunnel_the_expected_url_is_the_tunnels()
    {
        _agent.AddTunnel("https://dev-box.ngrok-free.app", "http://localhost:7071");
        var bot = await _harness.AddBotAsync();

        var status = await StatusAsync(bot.BotId);

        Assert.Equal($"https://dev-box.ngrok-free.app/v1/api/webhooks/telegram/{bot.BotId}", status.ExpectedUrl);
        Assert.Empty(_agent.CallsOf("POST"));
    }
}
