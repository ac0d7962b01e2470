using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.Urls;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Urls;

// When no agent answers, the locator starts the executable named by Ngrok:Path (here a fake ngrok script) and waits
// for its API. The fake brings the agent stand-in up over HTTP; nothing here sleeps or races a timer.
public sealed class NgrokAgentStartTests : IAsyncLifetime, IDisposable
{
    private const string AuthToken = "2abcSECRETngrokAUTHtoken_0123456789";
    // The largest allowed: only a bound for the real-clock tests; the timeout test advances a fake clock by it.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly List<ServiceProvider> _services = [];
    private readonly List<FakeNgrok> _executables = [];
    private readonly CapturingLoggerProvider _logs = new();
    // Turns a hang into a failure; never reached when the code works.
    private readonly CancellationTokenSource _testDeadline = new(TimeSpan.FromMinutes(3));
    private NgrokAgentStandIn _agent = null!;

    public async Task InitializeAsync() => _agent = await NgrokAgentStandIn.StartAsync(answering: false);

    public async Task DisposeAsync()
    {
        foreach (var services in _services)
        {
            await services.DisposeAsync();
        }
        await _agent.DisposeAsync();
        _executables.ForEach(e => e.Dispose());
    }

    // xunit calls this after DisposeAsync.
    public void Dispose()
    {
        _testDeadline.Dispose();
        _logs.Dispose();
    }

    private CancellationToken Deadline => _testDeadline.Token;

    private FakeNgrok Executable(FakeNgrok executable)
    {
        _executables.Add(executable);
        return executable;
    }

    private ServiceProvider Services(string ngrokPath, TimeProvider time, params (string Key, string? Value)[] settings)
    {
        var services = UrlServices.Build(
            [("Webhook:Mode", "Tunnel"), ("Ngrok:ApiUrl", _agent.ApiUrl), ("Ngrok:Path", ngrokPath), ("Ngrok:StartTimeout", StartTimeout.ToString()), .. settings], time, _logs);
        _services.Add(services);
        return services;
    }

    private NgrokTunnelLocator Locator(string ngrokPath, TimeProvider time, params (string Key, string? Value)[] settings) =>
        Services(ngrokPath, time, settings).GetRequiredService<NgrokTunnelLocator>();

    [UnixFact]
    public async Task Without_an_agent_it_starts_ngrok_waits_for_its_API_and_asks_it_for_a_tunnel()
    {
        var ngrok = Executable(FakeNgrok.BringingUp(_agent));
        _agent.NextPublicUrl("https://started.ngrok-free.app");

        var url = await Locator(ngrok.ExecutablePath, TimeProvider.System).GetPublicUrlAsync(Deadline);

        Assert.Equal("https://started.ngrok-free.app", url);
        Assert.Equal(["start", "--none", "--log", "stdout"], ngrok.Arguments);
        var body = Assert.Single(_agent.CallsOf("POST")).Body!;
        Assert.Equal("7071", body["addr"]!.GetValue<string>());
        Assert.Equal("http", body["proto"]!.GetValue<string>());
    }

    [UnixTheory]
    [InlineData("NGROK_AUTHTOKEN")]
    [InlineData("Ngrok:AuthToken")]
    public async Task The_started_ngrok_gets_the_authtoken_in_its_environment(string setting)
    {
        var ngrok = Executable(FakeNgrok.BringingUp(_agent));

        await Locator(ngrok.ExecutablePath, TimeProvider.System, (setting, AuthToken)).GetPublicUrlAsync(Deadline);

        Assert.Equal(AuthToken, ngrok.AuthToken);
    }

    [UnixFact]
    public async Task Without_an_authtoken_setting_none_is_handed_over()
    {
        var ngrok = Executable(FakeNgrok.BringingUp(_agent));

        await Locator(ngrok.ExecutablePath, TimeProvider.System).GetPublicUrlAsync(Deadline);

        Assert.Equal("<unset>", ngrok.AuthToken);
    }

    [UnixFact]
    public async Task Disposing_the_locator_stops_the_ngrok_it_started()
    {
        var ngrok = Executable(FakeNgrok.BringingUp(_agent));
        var services = Services(ngrok.ExecutablePath, TimeProvider.System);
        await services.GetRequiredService<NgrokTunnelLocator>().GetPublicUrlAsync(Deadline);
        Assert.True(FakeNgrok.IsRunning(ngrok.ProcessId));

        await services.DisposeAsync();

        Assert.False(FakeNgrok.IsRunning(ngrok.ProcessId));
    }

    [UnixFact]
    public async Task Disposing_the_locator_leaves_an_agent_it_did_not_start_alone()
    {
        // The developer's own ngrok: started by the test, found answering by the locator.
        var theirs = Executable(FakeNgrok.BringingUp(_agent));
        using var process = System.Diagnostics.Process.Start(theirs.ExecutablePath);
        await _agent.BroughtUp.WaitAsync(Deadline);
        _agent.AddTunnel("https://theirs.ngrok-free.app", "http://localhost:7071");
        var services = Services(UrlServices.NoExecutable, TimeProvider.System);
        await services.GetRequiredService<NgrokTunnelLocator>().GetPublicUrlAsync(Deadline);

        await services.DisposeAsync();

        Assert.False(process.HasExited);
        process.Kill();
    }

    [UnixFact]
    public async Task An_ngrok_that_exits_before_its_API_answers_is_reported_with_its_last_words()
    {
        var ngrok = Executable(FakeNgrok.Failing(1, "ERROR: authentication failed: ERR_NGROK_4018"));
        // A fake clock that never moves: only the exit itself can end the wait.
        var locator = Locator(ngrok.ExecutablePath, new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<WebhookUrlUnavailableException>(() => locator.GetPublicUrlAsync(Deadline));

        Assert.Contains("the started ngrok exited with code 1 before its API answered: ERROR: authentication failed: ERR_NGROK_4018", error.Message);
        Assert.Contains("NGROK_AUTHTOKEN", error.Message);
    }

    [UnixFact]
    public async Task An_ngrok_whose_API_never_answers_is_given_up_after_StartTimeout_and_stopped()
    {
        // Its web_addr is elsewhere: it comes up, but not at Ngrok:ApiUrl.
        await using var elsewhere = await NgrokAgentStandIn.StartAsync(answering: false);
        var ngrok = Executable(FakeNgrok.BringingUp(elsewhere));
        var time = new ObservedTimeProvider();
        var locator = Locator(ngrok.ExecutablePath, time);

        var lookup = locator.GetPublicUrlAsync(Deadline);
        await elsewhere.BroughtUp.WaitAsync(Deadline);
        await time.TimerCreatedAsync(StartTimeout, Deadline);
        time.Advance(StartTimeout);
        var error = await Assert.ThrowsAsync<WebhookUrlUnavailableException>(() => lookup);

        Assert.Contains($"the started ngrok's API did not answer at {_agent.ApiUrl}/api/tunnels within 120 s, so it was stopped", error.Message);
        Assert.Contains("Ngrok:StartTimeout", error.Message);
        Assert.False(FakeNgrok.IsRunning(ngrok.ProcessId));
    }

    [UnixFact]
    public async Task A_connection_reset_just_as_StartTimeout_passes_is_reported_as_the_timeout()
    {
        var ngrok = Executable(FakeNgrok.Silent());
        var time = new FakeTimeProvider();
        var calls = 0;
        // Faked at the handler: the first request finds no agent; the second, the first poll of the started one,
        // gets headers, and while its body is read the deadline passes and the connection resets.
        var handler = new ScriptedHandler(_ => Interlocked.Increment(ref calls) == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused")
            : new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StreamContent(new ResettingStream(() => time.Advance(StartTimeout))) });
        var services = UrlServices.Build(
            [("Webhook:Mode", "Tunnel"), ("Ngrok:Path", ngrok.ExecutablePath), ("Ngrok:StartTimeout", StartTimeout.ToString())], time, _logs,
            s => s.AddHttpClient(NgrokTunnelLocator.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler));
        _services.Add(services);

        var error = await Assert.ThrowsAsync<WebhookUrlUnavailableException>(
            () => services.GetRequiredService<NgrokTunnelLocator>().GetPublicUrlAsync(Deadline));

        Assert.Contains("the started ngrok's API did not answer", error.Message);
        Assert.Equal(2, calls);
    }

    [UnixFact]
    public async Task The_error_never_contains_the_authtoken_even_when_ngrok_prints_it()
    {
        var ngrok = Executable(FakeNgrok.Failing(1, $"ERROR: authtoken {AuthToken} is invalid"));
        var locator = Locator(ngrok.ExecutablePath, new FakeTimeProvider(), ("NGROK_AUTHTOKEN", AuthToken));

        var error = await Assert.ThrowsAsync<WebhookUrlUnavailableException>(() => locator.GetPublicUrlAsync(Deadline));

        Assert.DoesNotContain(AuthToken, error.Message);
        Assert.Contains("ERROR: authtoken [NGROK_AUTHTOKEN] is invalid", error.Message);
        Assert.DoesNotContain(AuthToken, _logs.AllText);
    }

    [UnixFact]
    public async Task Logs_name_the_started_executable_but_never_the_authtoken()
    {
        var ngrok = Executable(FakeNgrok.BringingUp(_agent));

        await Locator(ngrok.ExecutablePath, TimeProvider.System, ("NGROK_AUTHTOKEN", AuthToken)).GetPublicUrlAsync(Deadline);

        Assert.Contains(ngrok.ExecutablePath, _logs.AllText);
        Assert.DoesNotContain(AuthToken, _logs.AllText);
    }

    [Fact]
    public async Task When_everything_fails_the_error_says_what_was_tried_and_how_to_fix_it()
    {
        // Nothing listens at Ngrok:ApiUrl, and Ngrok:Path names no executable.
        var silent = await NgrokAgentStandIn.StartAsync();
        var apiUrl = silent.ApiUrl;
        await silent.DisposeAsync();
        var locator = Locator(UrlServices.NoExecutable, new FakeTimeProvider(), ("Ngrok:ApiUrl", apiUrl), ("NGROK_AUTHTOKEN", AuthToken));

        var error = await Assert.ThrowsAsync<WebhookUrlUnavailableException>(() => locator.GetPublicUrlAsync(Deadline));

        Assert.Contains("No ngrok tunnel to local port 7071 could be found or started", error.Message);
        Assert.Contains($"no ngrok agent answered at {apiUrl}/api/tunnels", error.Message);
        Assert.Contains($"starting '{UrlServices.NoExecutable}' failed", error.Message);
        Assert.Contains("'ngrok http 7071'", error.Message);
        Assert.Contains("Ngrok:Path", error.Message);
        Assert.Contains("NGROK_AUTHTOKEN", error.Message);
        Assert.Contains("Webhook:Mode=Domain", error.Message);
        Assert.DoesNotContain(AuthToken, error.Message);
    }

    [UnixFact]
    public async Task A_dead_started_ngrok_is_started_again_on_the_next_lookup()
    {
        var failing = Executable(FakeNgrok.Failing(1, "ERROR: session closed"));
        var locator = Locator(failing.ExecutablePath, TimeProvider.System);
        await Assert.ThrowsAsync<WebhookUrlUnavailableException>(() => locator.GetPublicUrlAsync(Deadline));
        File.Delete(failing.RecordPath);

        var second = await Assert.ThrowsAsync<WebhookUrlUnavailableException>(() => locator.GetPublicUrlAsync(Deadline));

        Assert.True(failing.WasStarted);
        Assert.Contains("exited with code 1", second.Message);
    }
}

/// <summary>An HTTP handler whose every answer is decided by the test, given the request's cancellation token.</summary>
internal sealed class ScriptedHandler(Func<CancellationToken, HttpResponseMessage> answer) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(answer(cancellationToken));
}

/// <summary>A response body whose first read runs <paramref name="onRead"/> and then fails like a reset connection.</summary>
internal sealed class ResettingStream(Action onRead) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => 0; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        onRead();
        throw new IOException("Connection reset by peer");
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read([], 0, 0));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
