using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.Urls;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Urls;

// Tunnel mode against the ngrok agent API stand-in over HTTP on 127.0.0.1; the clock is fake.
public sealed class NgrokTunnelLocatorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly List<ServiceProvider> _services = [];
    private NgrokAgentStandIn _agent = null!;

    public async Task InitializeAsync() => _agent = await NgrokAgentStandIn.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var services in _services)
        {
            await services.DisposeAsync();
        }
        await _agent.DisposeAsync();
    }

    private NgrokTunnelLocator Locator(params (string Key, string? Value)[] settings)
    {
        var services = UrlServices.Build([("Webhook:Mode", "Tunnel"), ("Ngrok:ApiUrl", _agent.ApiUrl), .. settings], _time);
        _services.Add(services);
        return services.GetRequiredService<NgrokTunnelLocator>();
    }

    [Theory]
    [InlineData("7071")]
    [InlineData("localhost:7071")]
    [InlineData("http://localhost:7071")]
    [InlineData("https://127.0.0.1:7071")]
    [InlineData("http://[::1]:7071/")]
    public async Task Reuses_an_https_tunnel_forwarding_to_the_configured_port(string addr)
    {
        _agent.AddTunnel("https://reuse-me.ngrok-free.app", addr);

        var url = await Locator().GetPublicUrlAsync(default);

        Assert.Equal("https://reuse-me.ngrok-free.app", url);
        Assert.Empty(_agent.CallsOf("POST"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/api")]
    [InlineData("/api/")]
    public async Task Ngrok_ApiUrl_may_be_given_with_or_without_the_api_suffix(string suffix)
    {
        _agent.AddTunnel("https://reuse-me.ngrok-free.app", "http://localhost:7071");

        var url = await Locator(("Ngrok:ApiUrl", _agent.ApiUrl + suffix)).GetPublicUrlAsync(default);

        Assert.Equal("https://reuse-me.ngrok-free.app", url);
        Assert.Equal("/api/tunnels", Assert.Single(_agent.CallsOf("GET")).Path);
    }

    [Fact]
    public async Task Picks_the_matching_tunnel_among_others()
    {
        _agent.AddTunnel("https://other-app.ngrok-free.app", "http://localhost:3000");
        _agent.AddTunnel("http://plain.ngrok-free.app", "http://localhost:7071");
        _agent.AddTunnel("https://this-app.ngrok-free.app", "http://localhost:7071");

        var url = await Locator().GetPublicUrlAsync(default);

        Assert.Equal("https://this-app.ngrok-free.app", url);
    }

    [Fact]
    public async Task Ignores_an_http_only_tunnel_to_the_port_and_asks_for_an_https_one()
    {
        _agent.AddTunnel("http://plain.ngrok-free.app", "http://localhost:7071");
        _agent.NextPublicUrl("https://created.ngrok-free.app");

        var url = await Locator().GetPublicUrlAsync(default);

        Assert.Equal("https://created.ngrok-free.app", url);
        Assert.Single(_agent.CallsOf("POST"));
    }

    [Theory]
    [InlineData("http://localhost:8080")]
    [InlineData("70710")]
    [InlineData("http://localhost:17071")]
    public async Task Ignores_tunnels_to_other_ports(string addr)
    {
        _agent.AddTunnel("https://other-port.ngrok-free.app", addr);
        _agent.NextPublicUrl("https://created.ngrok-free.app");

        var url = await Locator().GetPublicUrlAsync(default);

        Assert.Equal("https://created.ngrok-free.app", url);
    }

    [Fact]
    public async Task Ignores_a_tunnel_to_the_same_port_on_another_machine()
    {
        _agent.AddTunnel("https://elsewhere.ngrok-free.app", "http://192.168.1.20:7071");
        _agent.NextPublicUrl("https://created.ngrok-free.app");

        var url = await Locator().GetPublicUrlAsync(default);

        Assert.Equal("https://created.ngrok-free.app", url);
    }

    [Fact]
    public async Task Asks_the_agent_to_start_an_http_tunnel_to_the_port_when_none_matches()
    {
        _agent.NextPublicUrl("https://created.ngrok-free.app");

        var url = await Locator().GetPublicUrlAsync(default);

        Assert.Equal("https://created.ngrok-free.app", url);
        var body = Assert.Single(_agent.CallsOf("POST")).Body!;
        Assert.Equal("7071", body["addr"]!.GetValue<string>());
        Assert.Equal("http", body["proto"]!.GetValue<string>());
        Assert.Equal("webhookfunctions-7071", body["name"]!.GetValue<string>());
        Assert.Equal("http://localhost:7071", Assert.Single(_agent.Tunnels)["config"]!["addr"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_seeds_NGROK_PORT_chooses_the_port()
    {
        _agent.AddTunnel("https://port-7071.ngrok-free.app", "http://localhost:7071");
        _agent.AddTunnel("https://port-8000.ngrok-free.app", "http://localhost:8000");

        var url = await Locator(("NGROK_PORT", "8000")).GetPublicUrlAsync(default);

        Assert.Equal("https://port-8000.ngrok-free.app", url);
    }

    [Fact]
    public async Task Ngrok_Port_wins_over_NGROK_PORT()
    {
        _agent.AddTunnel("https://port-8000.ngrok-free.app", "http://localhost:8000");
        _agent.AddTunnel("https://port-9000.ngrok-free.app", "http://localhost:9000");

        var url = await Locator(("NGROK_PORT", "8000"), ("Ngrok:Port", "9000")).GetPublicUrlAsync(default);

        Assert.Equal("https://port-9000.ngrok-free.app", url);
    }

    [Fact]
    public async Task A_tunnel_for_NGROK_PORT_is_asked_for_on_that_port()
    {
        await Locator(("NGROK_PORT", "8000")).GetPublicUrlAsync(default);

        var body = Assert.Single(_agent.CallsOf("POST")).Body!;
        Assert.Equal("8000", body["addr"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_agent_refuses_a_tunnel_the_error_says_why_and_how_to_fix_it()
    {
        _agent.RefuseCreation(502, "failed to start tunnel", "ERR_NGROK_108: limited to 1 simultaneous agent session");

        var error = await Assert.ThrowsAsync<WebhookUrlUnavailableException>(() => Locator().GetPublicUrlAsync(default));

        Assert.Contains($"the agent at {_agent.ApiUrl}/api/tunnels has no https tunnel to local port 7071", error.Message);
        Assert.Contains("refused to start a tunnel to port 7071 (HTTP 502: failed to start tunnel - ERR_NGROK_108", error.Message);
        Assert.Contains("'ngrok http 7071'", error.Message);
        Assert.Contains("Webhook:Mode=Domain", error.Message);
    }

    [Fact]
    public async Task Within_CacheDuration_the_agent_is_not_asked_again()
    {
        _agent.AddTunnel("https://cached.ngrok-free.app", "http://localhost:7071");
        var locator = Locator(("Ngrok:CacheDuration", "00:00:30"));
        await locator.GetPublicUrlAsync(default);

        _time.Advance(TimeSpan.FromSeconds(29));
        var url = await locator.GetPublicUrlAsync(default);

        Assert.Equal("https://cached.ngrok-free.app", url);
        Assert.Single(_agent.Calls);
    }

    [Fact]
    public async Task After_CacheDuration_the_agent_is_asked_again_and_a_restarted_tunnels_new_url_is_used()
    {
        _agent.AddTunnel("https://before-restart.ngrok-free.app", "http://localhost:7071");
        var locator = Locator(("Ngrok:CacheDuration", "00:00:30"));
        await locator.GetPublicUrlAsync(default);
        _agent.ClearTunnels();
        _agent.AddTunnel("https://after-restart.ngrok-free.app", "http://localhost:7071");

        _time.Advance(TimeSpan.FromSeconds(30));
        var url = await locator.GetPublicUrlAsync(default);

        Assert.Equal("https://after-restart.ngrok-free.app", url);
        Assert.Equal(2, _agent.CallsOf("GET").Count());
    }

    [Fact]
    public async Task After_CacheDuration_a_vanished_tunnel_is_replaced_by_a_new_one()
    {
        _agent.AddTunnel("https://gone-soon.ngrok-free.app", "http://localhost:7071", "command_line");
        var locator = Locator(("Ngrok:CacheDuration", "00:00:30"));
        await locator.GetPublicUrlAsync(default);
        _agent.ClearTunnels();
        _agent.NextPublicUrl("https://replacement.ngrok-free.app");

        _time.Advance(TimeSpan.FromSeconds(31));
        var url = await locator.GetPublicUrlAsync(default);

        Assert.Equal("https://replacement.ngrok-free.app", url);
        Assert.Single(_agent.CallsOf("POST"));
    }

    [Fact]
    public async Task A_zero_CacheDuration_asks_the_agent_every_time()
    {
        _agent.AddTunnel("https://uncached.ngrok-free.app", "http://localhost:7071");
        var locator = Locator(("Ngrok:CacheDuration", "00:00:00"));

        await locator.GetPublicUrlAsync(default);
        await locator.GetPublicUrlAsync(default);

        Assert.Equal(2, _agent.CallsOf("GET").Count());
    }

    [Fact]
    public async Task A_failure_is_not_cached()
    {
        var locator = Locator();
        _agent.Answering = false;
        await Assert.ThrowsAsync<WebhookUrlUnavailableException>(() => locator.GetPublicUrlAsync(default));

        _agent.Answering = true;
        _agent.AddTunnel("https://now-up.ngrok-free.app", "http://localhost:7071");
        var url = await locator.GetPublicUrlAsync(default);

        Assert.Equal("https://now-up.ngrok-free.app", url);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_look_at_the_agent()
    {
        _agent.AddTunnel("https://shared.ngrok-free.app", "http://localhost:7071");
        var locator = Locator();

        // A socket never answers synchronously, so the first caller is inside the gate waiting for the agent
        // when the second arrives at the gate.
        var first = locator.GetPublicUrlAsync(default);
        var second = locator.GetPublicUrlAsync(default);
        var urls = await Task.WhenAll(first, second);

        Assert.Equal(["https://shared.ngrok-free.app", "https://shared.ngrok-free.app"], urls);
        Assert.Single(_agent.CallsOf("GET"));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("localhost", false)]
    [InlineData("http://localhost", false)]
    [InlineData("7071", true)]
    [InlineData(" localhost:7071 ", true)]
    [InlineData("0.0.0.0:7071", true)]
    [InlineData("127.0.0.2:7071", true)]
    [InlineData("example.com:7071", false)]
    public void ForwardsToPort_accepts_only_this_machines_port(string? addr, bool expected)
    {
        Assert.Equal(expected, NgrokTunnelLocator.ForwardsToPort(addr, 7071));
    }
}
