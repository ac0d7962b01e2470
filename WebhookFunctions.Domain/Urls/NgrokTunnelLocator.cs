using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Errors;

namespace WebhookFunctions.Domain.Urls;

/// <summary>
/// Tunnel mode's URL source: finds the https ngrok tunnel that forwards to this app's port through the agent's local
/// API, asks the agent for one when none exists, and starts the ngrok executable when no agent answers. Registered
/// only in Tunnel mode.
/// </summary>
internal sealed partial class NgrokTunnelLocator(
    IHttpClientFactory httpClientFactory,
    IOptions<NgrokOptions> options,
    TimeProvider time,
    ILogger<NgrokTunnelLocator> logger) : IWebhookUrlSource, IDisposable
{
    public const string HttpClientName = "ngrok";

    /// <summary>How often a started agent's API is polled until it answers.</summary>
    internal static readonly TimeSpan AgentPollInterval = TimeSpan.FromMilliseconds(250);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile FoundUrl? _cached;
    private NgrokAgentProcess? _started;

    public async Task<string> GetPublicUrlAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (Fresh(settings) is { } hit)
        {
            return hit;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // A caller that waited at the gate gets what the caller before it found.
            if (Fresh(settings) is { } found)
            {
                return found;
            }
            var url = await FindOrCreateAsync(settings, cancellationToken);
            _cached = new FoundUrl(url, time.GetTimestamp());
            return url;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The tunnel URL if one exists now (cached, or listed by a running agent), else null: never asks for a tunnel
    /// and never starts ngrok. For reads such as the status endpoint, which should not change the machine.
    /// </summary>
    public async Task<string?> FindExistingAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (Fresh(settings) is { } hit)
        {
            return hit;
        }
        var tunnels = await ListAsync(httpClientFactory.CreateClient(HttpClientName), settings.TunnelsEndpoint(), [], cancellationToken);
        if (tunnels is not null && Match(tunnels, settings.Port) is { } url)
        {
            _cached = new FoundUrl(url, time.GetTimestamp());
            return url;
        }
        return null;
    }

    Task<string> IWebhookUrlSource.GetBaseUrlAsync(CancellationToken cancellationToken) => GetPublicUrlAsync(cancellationToken);

    Task<string?> IWebhookUrlSource.FindBaseUrlAsync(CancellationToken cancellationToken) => FindExistingAsync(cancellationToken);

    private string? Fresh(NgrokOptions settings) =>
        _cached is { } hit && time.GetElapsedTime(hit.FoundAt) < settings.CacheDuration ? hit.Url : null;

    private async Task<string> FindOrCreateAsync(NgrokOptions settings, CancellationToken cancellationToken)
    {
        var tried = new List<string>();
        var http = httpClientFactory.CreateClient(HttpClientName);
        var api = settings.TunnelsEndpoint();

        var tunnels = await ListAsync(http, api, tried, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (tunnels is null && StartAgent(settings, tried) is { } agent)
        {
            tunnels = await WaitForAgentAsync(http, api, agent, settings.StartTimeout, tried, cancellationToken);
        }
        if (tunnels is not null)
        {
            if (Match(tunnels, settings.Port) is { } existing)
            {
                return existing;
            }
            tried.Add($"the agent at {api} has no https tunnel to local port {settings.Port}");
            if (await CreateAsync(http, api, settings.Port, tried, cancellationToken) is { } created)
            {
                return created;
            }
        }
        var message = $"No ngrok tunnel to local port {settings.Port} could be found or started. Tried: {string.Join("; ", tried)}. "
            + $"Fix: start one with 'ngrok http {settings.Port}' (or point Ngrok:ApiUrl at your agent), "
            + "or install ngrok and set Ngrok:Path and NGROK_AUTHTOKEN so the service starts it, "
            + "or set Webhook:Mode=Domain with Webhook:Domain.";
        throw new WebhookUrlUnavailableException(Redact(message, settings.AuthToken));
    }

    private static string? Match(IEnumerable<NgrokTunnel> tunnels, int port) =>
        tunnels.FirstOrDefault(t => IsHttps(t.PublicUrl) && ForwardsToPort(t.Config?.Addr, port))?.PublicUrl?.TrimEnd('/');

    private static bool IsHttps(string? url) => url?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>
    /// ngrok reports the target as "7071", "localhost:7071", "http://localhost:7071" or "https://127.0.0.1:7071".
    /// Only this machine counts: a tunnel to port 7071 of another host is not this app.
    /// </summary>
    internal static bool ForwardsToPort(string? addr, int port)
    {
        if (string.IsNullOrWhiteSpace(addr))
        {
            return false;
        }
        var target = addr.Trim();
        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
        {
            return bare == port;
        }
        if (!target.Contains("://", StringComparison.Ordinal))
        {
            target = "tcp://" + target;
        }
        return Uri.TryCreate(target, UriKind.Absolute, out var uri)
            && uri.Port == port
            && (uri.IsLoopback || uri.Host == "0.0.0.0");
    }

    private static async Task<List<NgrokTunnel>?> ListAsync(HttpClient http, Uri api, List<string> tried, CancellationToken cancellationToken)
    {
        try
        {
            var list = await http.GetFromJsonAsync<NgrokTunnelList>(api, cancellationToken);
            return list?.Tunnels ?? [];
        }
        catch (Exception e) when (IsAgentFailure(e, cancellationToken))
        {
            tried.Add($"no ngrok agent answered at {api} ({Describe(e)})");
            return null;
        }
    }

    private async Task<string?> CreateAsync(HttpClient http, Uri api, int port, List<string> tried, CancellationToken cancellationToken)
    {
        var request = new NgrokTunnelRequest(port.ToString(CultureInfo.InvariantCulture), "http", $"webhookfunctions-{port}");
        try
        {
            using var response = await http.PostAsJsonAsync(api, request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var error = await ReadErrorAsync(response, cancellationToken);
                tried.Add($"the agent refused to start a tunnel to port {port} (HTTP {(int)response.StatusCode}{error})");
                return null;
            }
            var tunnel = await response.Content.ReadFromJsonAsync<NgrokTunnel>(cancellationToken);
            if (IsHttps(tunnel?.PublicUrl))
            {
                var url = tunnel!.PublicUrl!.TrimEnd('/');
                LogTunnelCreated(logger, port, url);
                return url;
            }
            tried.Add($"the agent started a tunnel to port {port} without an https URL ({tunnel?.PublicUrl})");
            return null;
        }
        catch (Exception e) when (IsAgentFailure(e, cancellationToken))
        {
            tried.Add($"asking the agent for a tunnel to port {port} failed ({Describe(e)})");
            return null;
        }
    }

    /// <summary>The agent's error body is {error_code, status_code, msg, details}; its msg says why.</summary>
    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync<NgrokError>(cancellationToken);
            var details = error?.Details is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("err", out var err) && err.ValueKind == JsonValueKind.String
                ? $" - {err.GetString()}"
                : "";
            return string.IsNullOrWhiteSpace(error?.Msg) ? "" : $": {error.Msg}{details}";
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return "";
        }
    }

    private NgrokAgentProcess? StartAgent(NgrokOptions settings, List<string> tried)
    {
        if (_started is { Process.HasExited: false } running)
        {
            return running;
        }
        StopStartedAgent();
        // "start --none" runs the agent without tunnels; the tunnel is then asked for through its API like any other.
        var start = new ProcessStartInfo(settings.Path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "start", "--none", "--log", "stdout" },
        };
        if (!string.IsNullOrEmpty(settings.AuthToken))
        {
            start.Environment["NGROK_AUTHTOKEN"] = settings.AuthToken;
        }
        try
        {
            var process = Process.Start(start);
            if (process is null)
            {
                tried.Add($"'{settings.Path}' did not start");
                return null;
            }
            _started = new NgrokAgentProcess(process, settings.AuthToken);
            LogAgentStarted(logger, settings.Path, process.Id);
            return _started;
        }
        catch (Win32Exception e)
        {
            tried.Add($"starting '{settings.Path}' failed ({e.Message})");
            return null;
        }
    }

    private async Task<List<NgrokTunnel>?> WaitForAgentAsync(
        HttpClient http, Uri api, NgrokAgentProcess agent, TimeSpan timeout, List<string> tried, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        // Exit is awaited, not polled, so an agent that dies at once is reported without waiting for a timer.
        var exited = agent.Process.WaitForExitAsync(linked.Token);
        try
        {
            while (true)
            {
                if (exited.IsCompletedSuccessfully)
                {
                    tried.Add($"the started ngrok exited with code {agent.Process.ExitCode} before its API answered{agent.LastOutput()} (is NGROK_AUTHTOKEN set and valid?)");
                    return null;
                }
                if (await ListAsync(http, api, [], linked.Token) is { } tunnels)
                {
                    return tunnels;
                }
                await Task.WhenAny(Task.Delay(AgentPollInterval, time, linked.Token), exited);
                linked.Token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Stopped, so a stuck agent does not hold the account's agent session; the next call starts afresh.
            StopStartedAgent();
            tried.Add($"the started ngrok's API did not answer at {api} within {timeout.TotalSeconds:0.#} s, so it was stopped (Ngrok:StartTimeout; does its web_addr match Ngrok:ApiUrl?)");
            return null;
        }
    }

    /// <summary>
    /// A failed answer (refused, reset, also mid-body, or not JSON) is the agent's failure even when the token was
    /// cancelled meanwhile; a cancellation is one only when the token was not cancelled (HttpClient's own timeout).
    /// </summary>
    private static bool IsAgentFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException or JsonException or NotSupportedException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static string Describe(Exception e) => e switch
    {
        HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status}",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connection refused or unreachable",
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "connection closed without an answer",
        HttpRequestException http => http.HttpRequestError.ToString(),
        IOException => "connection broken",
        OperationCanceledException => "timed out",
        _ => "not an ngrok agent answer",
    };

    private static string Redact(string text, string? secret) =>
        string.IsNullOrEmpty(secret) ? text : text.Replace(secret, "[NGROK_AUTHTOKEN]", StringComparison.Ordinal);

    /// <summary>Stops only the ngrok this locator started; an agent someone else runs is left alone.</summary>
    public void Dispose()
    {
        StopStartedAgent();
        _gate.Dispose();
    }

    private void StopStartedAgent()
    {
        _started?.Dispose();
        _started = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Asked the ngrok agent for a tunnel to port {Port}: {PublicUrl}")]
    private static partial void LogTunnelCreated(ILogger logger, int port, string publicUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "No ngrok agent answered; started '{Path}' (process {ProcessId})")]
    private static partial void LogAgentStarted(ILogger logger, string path, int processId);

    private sealed record FoundUrl(string Url, long FoundAt);

    private sealed record NgrokTunnelList([property: JsonPropertyName("tunnels")] List<NgrokTunnel>? Tunnels);

    private sealed record NgrokTunnel(
        [property: JsonPropertyName("public_url")] string? PublicUrl,
        [property: JsonPropertyName("proto")] string? Proto,
        [property: JsonPropertyName("config")] NgrokTunnelConfig? Config);

    private sealed record NgrokTunnelConfig([property: JsonPropertyName("addr")] string? Addr);

    private sealed record NgrokTunnelRequest(
        [property: JsonPropertyName("addr")] string Addr,
        [property: JsonPropertyName("proto")] string Proto,
        [property: JsonPropertyName("name")] string Name);

    private sealed record NgrokError(
        [property: JsonPropertyName("msg")] string? Msg,
        [property: JsonPropertyName("details")] JsonElement? Details);
}
