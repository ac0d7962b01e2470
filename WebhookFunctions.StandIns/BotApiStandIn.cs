using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebhookFunctions.StandIns;

/// <summary>
/// A Telegram Bot API stand-in served over real HTTP on 127.0.0.1. It implements setWebhook, getWebhookInfo and
/// deleteWebhook with the documented envelope ({ok, result} / {ok:false, error_code, description, parameters}),
/// answers 401 for unknown tokens, records every call, and can inject faults and latency.
/// </summary>
internal sealed class BotApiStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, BotState> _bots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Token, string Method), ConcurrentQueue<Fault>> _faults = new();
    private readonly ConcurrentQueue<BotApiCall> _calls = new();
    private readonly ConcurrentDictionary<(string Token, string Method), HeldCall> _holds = new();
    private readonly ConcurrentDictionary<(string Token, string Method), HeldCall> _answerHolds = new();
    private int _inFlight;
    private int _peakInFlight;
    private long _callCount;
    private StandInFleet? _fleet;

    private BotApiStandIn(WebApplication app) => _app = app;

    /// <summary>e.g. http://127.0.0.1:41234: the value for Telegram:ApiBaseUrl.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Added to every answer (models the round trip to Telegram).</summary>
    public TimeSpan Latency { get; set; }

    public IReadOnlyCollection<BotApiCall> Calls => _calls;

    /// <summary>Every call received, counted even when <see cref="RecordCalls"/> is off.</summary>
    public long CallCount => Interlocked.Read(ref _callCount);

    /// <summary>Whether <see cref="Calls"/> keeps each call (off in a long benchmark run, where nobody reads them).</summary>
    public bool RecordCalls { get; set; } = true;

    public int PeakConcurrentCalls => Volatile.Read(ref _peakInFlight);

    public static async Task<BotApiStandIn> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var standIn = new BotApiStandIn(app);
        app.MapPost("/bot{token}/{method}", standIn.HandleAsync);
        app.MapGet("/bot{token}/{method}", standIn.HandleAsync);
        // For a benchmark driving the stand-in in another process: how many Bot API calls it answered.
        app.MapGet("/stand-in/calls", () => Results.Json(new { calls = standIn.CallCount }));
        await app.StartAsync();
        standIn.BaseUrl = app.Urls.First().TrimEnd('/');
        return standIn;
    }

    /// <summary>Registers a bot token Telegram would accept.</summary>
    public BotState AddBot(string token) => _bots.GetOrAdd(token, _ => new BotState());

    public BotState Bot(string token) => _bots[token];

    /// <summary>Also accepts the <paramref name="fleet"/>'s tokens, each bot made on its first call.</summary>
    public void AcceptFleet(StandInFleet fleet) => _fleet = fleet;

    /// <summary>Revokes a token: from now on every call with it gets 401.</summary>
    public void Revoke(string token) => _bots.TryRemove(token, out _);

    /// <summary>The next call of <paramref name="method"/> with <paramref name="token"/> fails this way (queued, one call each).</summary>
    public void Fail(string token, string method, Fault fault) =>
        _faults.GetOrAdd((token, method), _ => new ConcurrentQueue<Fault>()).Enqueue(fault);

    /// <summary>Completes when the process is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>
    /// Holds the next call of <paramref name="method"/> with <paramref name="token"/> after it arrives and before it is
    /// answered, until <see cref="HeldCall.Release"/>: lets a test order a race without sleeping.
    /// </summary>
    public HeldCall Hold(string token, string method) => _holds[(token, method)] = new HeldCall();

    /// <summary>
    /// Applies the next call of <paramref name="method"/> with <paramref name="token"/> at once but holds its answer until
    /// <see cref="HeldCall.Release"/>: the caller is slow to hear back, as after a long round trip.
    /// </summary>
    public HeldCall HoldAnswer(string token, string method) => _answerHolds[(token, method)] = new HeldCall();

    public IEnumerable<BotApiCall> CallsOf(string method) => _calls.Where(c => c.Method == method);

    public void ClearCalls() => _calls.Clear();

    /// <summary>Forgets every bot, queued fault, held call and recorded call: as freshly started, on the same address.</summary>
    public void Reset()
    {
        _bots.Clear();
        _faults.Clear();
        _holds.Clear();
        _calls.Clear();
        Latency = TimeSpan.Zero;
    }

    private async Task HandleAsync(HttpContext context, string token, string method)
    {
        var now = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _peakInFlight, now);
        try
        {
            var args = await ReadArgumentsAsync(context.Request);
            Interlocked.Increment(ref _callCount);
            if (RecordCalls)
            {
                _calls.Enqueue(new BotApiCall(token, method, args));
            }
            if (_holds.TryRemove((token, method), out var held))
            {
                await held.HoldAsync(context.RequestAborted);
            }
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, context.RequestAborted);
            }
            if (_faults.TryGetValue((token, method), out var queue) && queue.TryDequeue(out var fault))
            {
                await fault.WriteAsync(context);
                return;
            }
            if (!_bots.TryGetValue(token, out var bot))
            {
                if (_fleet?.TryCreate(token) is not { } created)
                {
                    await WriteError(context, 401, "Unauthorized");
                    return;
                }
                bot = _bots.GetOrAdd(token, created);
            }
            var answer = method switch
            {
                "setWebhook" => SetWebhook(bot, args),
                "getWebhookInfo" => Answer.Ok(bot.ToWebhookInfo()),
                "deleteWebhook" => DeleteWebhook(bot, args),
                _ => Answer.Error(404, "Not Found: method not found"),
            };
            if (_answerHolds.TryRemove((token, method), out var heldAnswer))
            {
                await heldAnswer.HoldAsync(context.RequestAborted);
            }
            await (answer.Code == 200 ? WriteResult(context, answer.Result!, answer.Description) : WriteError(context, answer.Code, answer.Description!));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static Answer SetWebhook(BotState bot, JsonObject args)
    {
        var url = args["url"]?.GetValue<string>() ?? "";
        if (url.Length > 0 && !url.StartsWith("https://", StringComparison.Ordinal))
        {
            return Answer.Error(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
        }
        if (args["max_connections"] is { } max && (ReadInt(max) is < 1 or > 100))
        {
            return Answer.Error(400, "Bad Request: bad webhook: max_connections must be between 1 and 100");
        }
        if (args["secret_token"] is { } secret && !System.Text.RegularExpressions.Regex.IsMatch(secret.GetValue<string>(), @"^[A-Za-z0-9_-]{1,256}\z"))
        {
            return Answer.Error(400, "Bad Request: bad webhook: secret token contains unallowed characters");
        }
        lock (bot)
        {
            var unchanged = bot.Url == url;
            bot.Url = url;
            bot.SecretToken = args["secret_token"]?.GetValue<string>();
            bot.MaxConnections = url.Length == 0 ? null : args["max_connections"] is { } m ? ReadInt(m) : 40;
            if (args["allowed_updates"] is { } allowed)
            {
                bot.AllowedUpdates = ReadStrings(allowed);
            }
            if (ReadBool(args["drop_pending_updates"]))
            {
                bot.PendingUpdateCount = 0;
            }
            bot.SetCount++;
            return Answer.Ok(true, unchanged ? "Webhook is already set" : "Webhook was set");
        }
    }

    private static Answer DeleteWebhook(BotState bot, JsonObject args)
    {
        lock (bot)
        {
            var had = bot.Url.Length > 0;
            bot.Url = "";
            bot.SecretToken = null;
            bot.MaxConnections = null;
            if (ReadBool(args["drop_pending_updates"]))
            {
                bot.PendingUpdateCount = 0;
            }
            return Answer.Ok(true, had ? "Webhook was deleted" : "Webhook is already deleted");
        }
    }

    /// <summary>What a method answers, computed (and applied) before it is written.</summary>
    private sealed record Answer(int Code, object? Result, string? Description)
    {
        public static Answer Ok(object result, string? description = null) => new(200, result, description);

        public static Answer Error(int code, string description) => new(code, null, description);
    }

    private static async Task<JsonObject> ReadArgumentsAsync(HttpRequest request)
    {
        var args = new JsonObject();
        foreach (var (key, value) in request.Query)
        {
            args[key] = value.ToString();
        }
        if (request.HasJsonContentType())
        {
            if (await JsonNode.ParseAsync(request.Body) is JsonObject body)
            {
                foreach (var (key, value) in body.ToList())
                {
                    body.Remove(key);
                    args[key] = value;
                }
            }
        }
        else if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync())
            {
                args[key] = value.ToString();
            }
        }
        return args;
    }

    private static int ReadInt(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String ? int.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture) : node.GetValue<int>();

    private static bool ReadBool(JsonNode? node) => node switch
    {
        null => false,
        _ when node.GetValueKind() == JsonValueKind.String => bool.Parse(node.GetValue<string>()),
        _ => node.GetValue<bool>(),
    };

    private static string[] ReadStrings(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String
            ? JsonSerializer.Deserialize<string[]>(node.GetValue<string>()) ?? []
            : node.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    internal static Task WriteResult(HttpContext context, object result, string? description = null)
    {
        var envelope = new JsonObject { ["ok"] = true, ["result"] = JsonSerializer.SerializeToNode(result) };
        if (description is not null)
        {
            envelope["description"] = description;
        }
        return context.Response.WriteAsJsonAsync(envelope);
    }

    internal static Task WriteError(HttpContext context, int code, string description, int? retryAfter = null)
    {
        context.Response.StatusCode = code;
        var envelope = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (retryAfter is { } seconds)
        {
            envelope["parameters"] = new JsonObject { ["retry_after"] = seconds };
        }
        return context.Response.WriteAsJsonAsync(envelope);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A call held by <see cref="BotApiStandIn.Hold"/>: <see cref="Arrived"/> completes when it comes in.</summary>
internal sealed class HeldCall
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Arrived => _arrived.Task;

    /// <summary>Lets the held call be answered (as the stand-in would have, faults and all).</summary>
    public void Release() => _released.TrySetResult();

    internal Task HoldAsync(CancellationToken cancellationToken)
    {
        _arrived.TrySetResult();
        return _released.Task.WaitAsync(cancellationToken);
    }
}

/// <summary>One request the stand-in received: the token, the method and its arguments.</summary>
internal sealed record BotApiCall(string Token, string Method, JsonObject Arguments);

/// <summary>What Telegram holds for one bot.</summary>
internal sealed class BotState
{
    public string Url { get; set; } = "";
    public string? SecretToken { get; set; }
    public int? MaxConnections { get; set; }
    public string[]? AllowedUpdates { get; set; }
    public int PendingUpdateCount { get; set; }
    public string? IpAddress { get; set; }
    public DateTimeOffset? LastErrorDate { get; set; }
    public string? LastErrorMessage { get; set; }
    public DateTimeOffset? LastSynchronizationErrorDate { get; set; }
    public bool HasCustomCertificate { get; set; }
    public int SetCount { get; set; }

    internal JsonObject ToWebhookInfo()
    {
        lock (this)
        {
            var info = new JsonObject
            {
                ["url"] = Url,
                ["has_custom_certificate"] = HasCustomCertificate,
                ["pending_update_count"] = PendingUpdateCount,
            };
            if (IpAddress is not null) info["ip_address"] = IpAddress;
            if (LastErrorDate is { } error) info["last_error_date"] = error.ToUnixTimeSeconds();
            if (LastErrorMessage is not null) info["last_error_message"] = LastErrorMessage;
            if (LastSynchronizationErrorDate is { } sync) info["last_synchronization_error_date"] = sync.ToUnixTimeSeconds();
            if (MaxConnections is { } max) info["max_connections"] = max;
            if (AllowedUpdates is { } allowed) info["allowed_updates"] = new JsonArray(allowed.Select(a => (JsonNode)a!).ToArray());
            return info;
        }
    }
}

/// <summary>An injected failure: a Telegram error envelope, a non-JSON answer, or a stall.</summary>
internal sealed record Fault(int StatusCode, string Description, int? RetryAfter = null, bool Html = false, TimeSpan? Stall = null)
{
    public static Fault Unauthorized() => new(401, "Unauthorized");
    public static Fault NotFound() => new(404, "Not Found");
    public static Fault TooManyRequests(int retryAfter) => new(429, $"Too Many Requests: retry after {retryAfter}", retryAfter);
    public static Fault BadRequest(string description) => new(400, description);
    public static Fault ServerError() => new(500, "Internal Server Error");
    public static Fault BadGatewayHtml() => new(502, "<html><body>502 Bad Gateway</body></html>", Html: true);

    /// <summary>Answers only after <paramref name="stall"/>: longer than the client's timeout, it is a timeout.</summary>
    public static Fault Timeout(TimeSpan stall) => new(200, "", Stall: stall);

    internal async Task WriteAsync(HttpContext context)
    {
        if (Stall is { } stall)
        {
            await Task.Delay(stall, context.RequestAborted);
        }
        if (Html)
        {
            context.Response.StatusCode = StatusCode;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync(Description);
            return;
        }
        await BotApiStandIn.WriteError(context, StatusCode, Description, RetryAfter);
    }
}
