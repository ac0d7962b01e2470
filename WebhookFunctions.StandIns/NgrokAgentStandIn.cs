using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace WebhookFunctions.StandIns;

/// <summary>
/// The ngrok agent's local API (http://127.0.0.1:4040/api) served over real HTTP on 127.0.0.1: list, start, get and
/// stop tunnels in the documented shapes. Tunnels can be seeded, creation can be refused, every call is recorded,
/// and it can play "no agent running" until a fake ngrok executable brings it up through <see cref="AnswerPath"/>.
/// </summary>
internal sealed class NgrokAgentStandIn : IAsyncDisposable
{
    /// <summary>Not part of ngrok: a fake ngrok executable POSTs here to make the agent start answering.</summary>
    public const string AnswerPath = "/standin/answer";

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<JsonObject> _tunnels = [];
    private readonly ConcurrentQueue<NgrokAgentCall> _calls = new();
    private readonly ConcurrentQueue<string> _nextPublicUrls = new();
    private volatile Refusal? _refusal;
    private readonly TaskCompletionSource _broughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _answering;

    private NgrokAgentStandIn(WebApplication app, bool answering)
    {
        _app = app;
        _answering = answering;
    }

    /// <summary>e.g. http://127.0.0.1:41234: the value for Ngrok:ApiUrl.</summary>
    public string ApiUrl { get; private set; } = "";

    public int Port { get; private set; }

    /// <summary>False: every API request is dropped without an answer, as when no agent runs.</summary>
    public bool Answering
    {
        get => _answering;
        set => _answering = value;
    }

    /// <summary>Completes when a fake ngrok executable called <see cref="AnswerPath"/>.</summary>
    public Task BroughtUp => _broughtUp.Task;

    public IReadOnlyCollection<NgrokAgentCall> Calls => _calls;

    public static async Task<NgrokAgentStandIn> StartAsync(int port = 0, bool answering = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var standIn = new NgrokAgentStandIn(app, answering);
        app.MapPost(AnswerPath, () =>
        {
            standIn.Answering = true;
            standIn._broughtUp.TrySetResult();
            return Results.NoContent();
        });
        app.MapGet("/api/tunnels", standIn.ListAsync);
        app.MapPost("/api/tunnels", standIn.StartTunnelAsync);
        app.MapGet("/api/tunnels/{name}", standIn.GetAsync);
        app.MapDelete("/api/tunnels/{name}", standIn.StopAsync);
        await app.StartAsync();
        standIn.ApiUrl = app.Urls.First().TrimEnd('/');
        standIn.Port = new Uri(standIn.ApiUrl).Port;
        return standIn;
    }

    /// <summary>Seeds a running tunnel, as `ngrok http` would have started it.</summary>
    public void AddTunnel(string publicUrl, string addr, string? name = null)
    {
        lock (_lock)
        {
            _tunnels.Add(Tunnel(name ?? $"tunnel-{_tunnels.Count + 1}", publicUrl, addr));
        }
    }

    /// <summary>Stops every tunnel, as when the agent restarted or the developer closed them.</summary>
    public void ClearTunnels()
    {
        lock (_lock)
        {
            _tunnels.Clear();
        }
    }

    /// <summary>The public URL the next started tunnel gets (otherwise a random https://{hex}.ngrok-free.app).</summary>
    public void NextPublicUrl(string publicUrl) => _nextPublicUrls.Enqueue(publicUrl);

    /// <summary>From now on POST /api/tunnels fails with the agent's error body.</summary>
    public void RefuseCreation(int statusCode = 502, string msg = "failed to start tunnel",
        string err = "ERR_NGROK_108: Your account is limited to 1 simultaneous ngrok agent session.") =>
        _refusal = new Refusal(statusCode, 103, msg, err);

    public IReadOnlyList<JsonObject> Tunnels
    {
        get
        {
            lock (_lock)
            {
                return _tunnels.Select(t => (JsonObject)t.DeepClone()).ToList();
            }
        }
    }

    public IEnumerable<NgrokAgentCall> CallsOf(string httpMethod) => _calls.Where(c => c.Method == httpMethod);

    private async Task ListAsync(HttpContext context)
    {
        if (!Admit(context, null))
        {
            return;
        }
        JsonArray tunnels;
        lock (_lock)
        {
            tunnels = new JsonArray(_tunnels.Select(t => (JsonNode)t.DeepClone()).ToArray());
        }
        await context.Response.WriteAsJsonAsync(new JsonObject { ["tunnels"] = tunnels, ["uri"] = "/api/tunnels" });
    }

    private async Task StartTunnelAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request);
        if (!Admit(context, body))
        {
            return;
        }
        if (_refusal is { } refusal)
        {
            await WriteError(context, refusal.Status, refusal.Code, refusal.Msg, refusal.Err);
            return;
        }
        // The agent takes the tunnel definition of its config file: addr may be a port number or an address.
        var addr = body?["addr"]?.ToString();
        var proto = body?["proto"]?.ToString();
        var name = body?["name"]?.ToString() ?? $"tunnel-{Guid.NewGuid():N}"[..15];
        if (string.IsNullOrEmpty(addr) || proto is not ("http" or "tcp" or "tls"))
        {
            await WriteError(context, 400, 102, "invalid tunnel configuration", "addr is required and proto must be http, tcp or tls");
            return;
        }
        var tunnel = TryStart(name, addr, proto);
        if (tunnel is null)
        {
            await WriteError(context, 400, 102, "invalid tunnel configuration", $"a tunnel named '{name}' already exists");
            return;
        }
        context.Response.StatusCode = StatusCodes.Status201Created;
        await context.Response.WriteAsJsonAsync(tunnel);
    }

    private JsonObject? TryStart(string name, string addr, string proto)
    {
        lock (_lock)
        {
            if (_tunnels.Any(t => t["name"]!.GetValue<string>() == name))
            {
                return null;
            }
            var publicUrl = _nextPublicUrls.TryDequeue(out var next) ? next
                : proto == "http" ? $"https://{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.ngrok-free.app"
                : $"tcp://0.tcp.ngrok.io:{RandomNumberGenerator.GetInt32(10000, 20000)}";
            // ngrok v3 reports a bare port as the full upstream URL.
            var upstream = int.TryParse(addr, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? $"http://localhost:{addr}" : addr;
            var tunnel = Tunnel(name, publicUrl, upstream);
            _tunnels.Add(tunnel);
            return (JsonObject)tunnel.DeepClone();
        }
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private async Task GetAsync(HttpContext context, string name)
    {
        if (!Admit(context, null))
        {
            return;
        }
        JsonObject? tunnel;
        lock (_lock)
        {
            tunnel = _tunnels.FirstOrDefault(t => t["name"]!.GetValue<string>() == name)?.DeepClone() as JsonObject;
        }
        await (tunnel is null
            ? WriteError(context, 404, 100, $"Tunnel {name} not found", "")
            : context.Response.WriteAsJsonAsync(tunnel));
    }

    private async Task StopAsync(HttpContext context, string name)
    {
        if (!Admit(context, null))
        {
            return;
        }
        bool removed;
        lock (_lock)
        {
            removed = _tunnels.RemoveAll(t => t["name"]!.GetValue<string>() == name) > 0;
        }
        if (!removed)
        {
            await WriteError(context, 404, 100, $"Tunnel {name} not found", "");
            return;
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Records the call, or drops it unanswered when the agent is "not running".</summary>
    private bool Admit(HttpContext context, JsonObject? body)
    {
        if (!Answering)
        {
            context.Abort();
            return false;
        }
        _calls.Enqueue(new NgrokAgentCall(context.Request.Method, context.Request.Path.Value ?? "", body));
        return true;
    }

    private static JsonObject Tunnel(string name, string publicUrl, string addr) => new()
    {
        ["name"] = name,
        ["uri"] = $"/api/tunnels/{Uri.EscapeDataString(name)}",
        ["public_url"] = publicUrl,
        ["proto"] = publicUrl.Split("://")[0],
        ["config"] = new JsonObject { ["addr"] = addr, ["inspect"] = true },
        ["metrics"] = new JsonObject
        {
            ["conns"] = new JsonObject { ["count"] = 0, ["gauge"] = 0, ["rate1"] = 0, ["rate5"] = 0, ["rate15"] = 0, ["p50"] = 0, ["p90"] = 0, ["p95"] = 0, ["p99"] = 0 },
            ["http"] = new JsonObject { ["count"] = 0, ["rate1"] = 0, ["rate5"] = 0, ["rate15"] = 0, ["p50"] = 0, ["p90"] = 0, ["p95"] = 0, ["p99"] = 0 },
        },
    };

    private static Task WriteError(HttpContext context, int status, int code, string msg, string err)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["error_code"] = code,
            ["status_code"] = status,
            ["msg"] = msg,
            ["details"] = new JsonObject { ["err"] = err },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record Refusal(int Status, int Code, string Msg, string Err);

/// <summary>One request the ngrok agent stand-in received: HTTP method, path and JSON body (POST only).</summary>
internal sealed record NgrokAgentCall(string Method, string Path, JsonObject? Body);
