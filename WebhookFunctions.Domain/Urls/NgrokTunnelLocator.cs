using System.ComponentModel;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Errors;

namespace WebhookFunctions.Domain.Urls;

/// <summary>
/// Finds the https ngrok tunnel that forwards to this app's port through the agent's local API, asks the agent
/// for one when none exists, and starts the ngrok executable when no agent answers.
/// </summary>
public sealed partial class NgrokTunnelLocator(
    IHttpClientFactory httpClientFactory,
    IOptions<NgrokOptions> options,
    TimeProvider time,
    ILogger<NgrokTunnelLocator> logger) : IDisposable
{
    public const string HttpClientName = "ngrok";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Url, long FoundAt)? _cached;
    private Process? _started;

    public async Task<string> GetPublicUrlAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (_cached is { } hit && time.GetElapsedTime(hit.FoundAt) < settings.CacheDuration)
        {
            return hit.Url;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var url = await FindOrCreateAsync(settings, cancellationToken);
            _cached = (url, time.GetTimestamp());
            return url;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forget the cached URL, e.g. after Telegram reported the tunnel unreachable.</summary>
    public void Invalidate() => _cached = null;

    private async Task<string> FindOrCreateAsync(NgrokOptions settings, CancellationToken cancellationToken)
    {
        var tried = new List<string>();
        var http = httpClientFactory.CreateClient(HttpClientName);
        var api = new Uri(new Uri(settings.ApiUrl.TrimEnd('/') + "/"), "api/tunnels");

        var tunnels = await ListAsync(http, api, tried, cancellationToken);
        if (tunnels is null && StartAgent(settings, tried))
        {
            tunnels = await WaitForAgentAsync(http, api, settings.StartTimeout, tried, cancellationToken);
        }
        if (tunnels is not null)
        {
            if (Match(tunnels, settings.Port) is { } existing)
            {
                return existing;
            }
            if (await CreateAsync(http, api, settings.Port, tried, cancellationToken) is { } created)
            {
                return created;
            }
        }
        throw new WebhookUrlUnavailableException(
            $"No ngrok tunnel to port {settings.Port} could be found or started: {string.Join("; ", tried)}. "
            + $"Start one with 'ngrok http {settings.Port}', or install ngrok and set Ngrok:Path (and NGROK_AUTHTOKEN), "
            + "or set Webhook:Mode=Domain with Webhook:Domain.");
    }

    private static string? Match(IEnumerable<NgrokTunnel> tunnels, int port) =>
        tunnels.FirstOrDefault(t => t.PublicUrl?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true
            && ForwardsToPort(t.Config?.Addr, port))?.PublicUrl?.TrimEnd('/');

    /// <summary>ngrok reports the target as "7071", "localhost:7071" or "http://localhost:7071".</summary>
    internal static bool ForwardsToPort(string? addr, int port)
    {
        if (string.IsNullOrEmpty(addr))
        {
            return false;
        }
        var tail = addr.TrimEnd('/');
        var colon = tail.LastIndexOf(':');
        var digits = colon >= 0 ? tail[(colon + 1)..] : tail;
        return int.TryParse(digits, out var found) && found == port;
    }

    private static async Task<List<NgrokTunnel>?> ListAsync(HttpClient http, Uri api, List<string> tried, CancellationToken cancellationToken)
    {
        try
        {
            var list = await http.GetFromJsonAsync<NgrokTunnelList>(api, cancellationToken);
            return list?.Tunnels ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            tried.Add($"the agent API at {api} did not answer ({Describe(e)})");
            return null;
        }
    }

    private async Task<string?> CreateAsync(HttpClient http, Uri api, int port, List<string> tried, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync(api, new NgrokTunnelRequest(port.ToString(System.Globalization.CultureInfo.InvariantCulture), "http", $"webhookfunctions-{port}"), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                tried.Add($"the agent refused to start a tunnel to port {port} (HTTP {(int)response.StatusCode})");
                return null;
            }
            var tunnel = await response.Content.ReadFromJsonAsync<NgrokTunnel>(cancellationToken);
            if (tunnel?.PublicUrl is { } url && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                LogTunnelCreated(logger, port, url);
                return url.TrimEnd('/');
            }
            tried.Add($"the agent started a tunnel to port {port} without an https URL");
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            tried.Add($"asking the agent for a tunnel to port {port} failed ({Describe(e)})");
            return null;
        }
    }

    private bool StartAgent(NgrokOptions settings, List<string> tried)
    {
        if (_started is { HasExited: false })
        {
            return true;
        }
        var start = new ProcessStartInfo(settings.Path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "http", settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--log", "stdout" },
        };
        if (!string.IsNullOrEmpty(settings.AuthToken))
        {
            start.Environment["NGROK_AUTHTOKEN"] = settings.AuthToken;
        }
        try
        {
            _started = Process.Start(start);
            if (_started is null)
            {
                tried.Add($"'{settings.Path}' did not start");
                return false;
            }
            // Drain its output so a chatty agent never blocks on a full pipe.
            _started.OutputDataReceived += (_, _) => { };
            _started.ErrorDataReceived += (_, _) => { };
            _started.BeginOutputReadLine();
            _started.BeginErrorReadLine();
            LogAgentStarted(logger, settings.Path, settings.Port);
            return true;
        }
        catch (Win32Exception e)
        {
            tried.Add($"starting '{settings.Path}' failed ({e.Message})");
            return false;
        }
    }

    private async Task<List<NgrokTunnel>?> WaitForAgentAsync(HttpClient http, Uri api, TimeSpan timeout, List<string> tried, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var attempts = new List<string>();
        while (time.GetElapsedTime(started) < timeout)
        {
            if (_started is { HasExited: true } exited)
            {
                tried.Add($"ngrok exited with code {exited.ExitCode} before its API answered (is NGROK_AUTHTOKEN set?)");
                return null;
            }
            attempts.Clear();
            if (await ListAsync(http, api, attempts, cancellationToken) is { } tunnels)
            {
                return tunnels;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }
        tried.Add($"the started ngrok's API did not answer within {timeout.TotalSeconds:0} s");
        return null;
    }

    private static string Describe(Exception e) => e switch
    {
        HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status}",
        HttpRequestException http => http.HttpRequestError.ToString(),
        TaskCanceledException => "timed out",
        _ => "unreadable answer",
    };

    public void Dispose()
    {
        if (_started is { HasExited: false })
        {
            _started.Kill(entireProcessTree: true);
        }
        _started?.Dispose();
        _gate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Asked the ngrok agent for a tunnel to port {Port}: {PublicUrl}")]
    private static partial void LogTunnelCreated(ILogger logger, int port, string publicUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "No ngrok agent answered; started '{Path}' for port {Port}")]
    private static partial void LogAgentStarted(ILogger logger, string path, int port);

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
}
