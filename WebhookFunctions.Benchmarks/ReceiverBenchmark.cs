using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Benchmarks;

/// <summary>
/// The receiver against a bare enqueue, in one run on one machine: Azurite (on disk), the real self-host as its own
/// process (Release build, SQLite file on disk, 50 bots with webhooks set through its API), and a minimal Kestrel app
/// that checks a fixed secret in constant time and enqueues the body. Both get the same keep-alive load, interleaved
/// (odd rounds start with the receiver); each run checks that every 200 is one message on the queue, then empties it.
/// </summary>
internal static class ReceiverBenchmark
{
    private const int Bots = 50;
    private const string ApiKey = "benchmark-management-key-0123456789";
    private const string Secret = "benchmark-webhook-secret-0123456789";
    private const string AzuriteAccount = "devstoreaccount1";
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static long _nextUpdateId = 1_000_000;

    public static async Task RunAsync(int[] connectionCounts, int seconds, int rounds)
    {
        var root = RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("webhookfunctions-receiver-bench-").FullName;
        var azuritePort = BenchmarkMachine.FreePort();
        var storage = $"DefaultEndpointsProtocol=http;AccountName={AzuriteAccount};AccountKey={AzuriteKey};QueueEndpoint=http://127.0.0.1:{azuritePort}/{AzuriteAccount};";
        using var azurite = Start(Path.Combine(root, "node_modules", ".bin", "azurite-queue"), root, [],
            "--queueHost", "127.0.0.1", "--queuePort", azuritePort.ToString(CultureInfo.InvariantCulture), "--location", Path.Combine(work, "azurite"),
            "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent");
        await using var botApi = await BotApiStandIn.StartAsync();
        var selfHostPort = BenchmarkMachine.FreePort();
        var selfHostDll = Path.Combine(root, "WebhookFunctions.SelfHost", "bin", "Release", "net10.0", "WebhookFunctions.SelfHost.dll");
        using var selfHost = Start("dotnet", work, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__SqlitePath"] = Path.Combine(work, "webhooks.db"),
            ["Telegram__ApiBaseUrl"] = botApi.BaseUrl,
            ["Webhook__Mode"] = "Domain",
            ["Webhook__Domain"] = "https://hooks.example.test",
            ["Auth__ApiKeys__0"] = ApiKey,
            ["UpdateQueue__ConnectionString"] = storage,
            ["UpdateQueue__Name"] = "receiver-updates",
            ["Checker__ScheduleEnabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        }, selfHostDll, "--urls", $"http://127.0.0.1:{selfHostPort}", "--contentRoot", work);
        await using var bare = await StartBareEndpointAsync(storage);
        var bareBase = new Uri(bare.Urls.First());
        var receiverBase = new Uri($"http://127.0.0.1:{selfHostPort}");
        await WaitForAsync(receiverBase, "/healthz");
        var bots = await SetWebhooksAsync(receiverBase, botApi);
        var receiverQueue = new QueueClient(storage, "receiver-updates");
        var bareQueue = new QueueClient(storage, BareEndpoint.QueueName);

        Console.WriteLine($"Receiver vs bare enqueue: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, {Bots} bots, {seconds} s per run, Azurite on disk");
        Console.WriteLine("| target | connections | requests | req/s | p50 | p99 | non-200 | lost or doubled | load avg (1 min) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        // Warm-up (JIT, pools, the queue's creation), not reported.
        await DriveAsync(bareBase, "/bare", bots, 16, 3, bareQueue);
        await DriveAsync(receiverBase, "/v1/api/webhooks/telegram", bots, 16, 3, receiverQueue);
        var ratios = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var connections in connectionCounts)
            {
                // Odd rounds drive the receiver first, so neither target always runs second on a busier machine.
                async Task<RunResult> BareAsync() => Print("bare enqueue", connections, await DriveAsync(bareBase, "/bare", bots, connections, seconds, bareQueue));
                async Task<RunResult> ReceiverAsync() => Print("receiver (self-host, SQLite)", connections, await DriveAsync(receiverBase, "/v1/api/webhooks/telegram", bots, connections, seconds, receiverQueue));
                RunResult b, r;
                if (round % 2 == 0)
                {
                    b = await BareAsync();
                    r = await ReceiverAsync();
                }
                else
                {
                    r = await ReceiverAsync();
                    b = await BareAsync();
                }
                ratios.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{connections} connections: receiver/bare {r.PerSecond / b.PerSecond:F2}x req/s, p99 {r.P99Ms / b.P99Ms:F2}x"));
            }
        }
        Console.WriteLine();
        ratios.ForEach(Console.WriteLine);
        BenchmarkMachine.Stop(selfHost);
        BenchmarkMachine.Stop(azurite);
    }

    private static RunResult Print(string target, int connections, RunResult result)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {target} | {connections} | {result.Requests:N0} | {result.PerSecond:F0} | {result.P50Ms:F1} ms | {result.P99Ms:F1} ms | {result.NotOk} | {result.LostOrDoubled} | {BenchmarkMachine.LoadAverage()} |"));
        return result;
    }

    private static async Task<RunResult> DriveAsync(Uri baseAddress, string path, Guid[] bots, int connections, int seconds, QueueClient queue)
    {
        await queue.CreateIfNotExistsAsync();
        var before = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var latencies = new List<double>[connections];
        var notOk = 0L;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            var i = worker;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var bot = bots[i++ % bots.Length];
                var updateId = Interlocked.Increment(ref _nextUpdateId);
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{path}/{bot}")
                {
                    Content = new StringContent($$$"""{"update_id":{{{updateId}}},"message":{"message_id":1,"date":1795521600,"chat":{"id":1,"type":"private"},"text":"/start"}}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref notOk);
                }
            }
        }));
        clock.Stop();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var after = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        // Azurite's enqueue slows down as its store grows (about 15,000 messages a run): emptied after every run, each
        // run starts from the same store, whichever target it drives and however many ran before.
        await queue.ClearMessagesAsync();
        var ok = all.Length - notOk;
        return new RunResult(all.Length, all.Length / clock.Elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99), notOk, Math.Abs(after - before - ok));
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static async Task<Guid[]> SetWebhooksAsync(Uri baseAddress, BotApiStandIn botApi)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
        var bots = new Guid[Bots];
        for (var i = 0; i < Bots; i++)
        {
            bots[i] = Guid.NewGuid();
            var token = $"{700000 + i}:BENCHtokenPART{Guid.NewGuid():N}"[..40];
            botApi.AddBot(token);
            (await http.PostAsJsonAsync($"/v1/api/bots/{bots[i]}/platforms/", new { platform = "telegram", credentials = new { token } })).EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync($"/v1/api/webhooks/telegram/{bots[i]}/webhook/set", new { secret_token = Secret })).EnsureSuccessStatusCode();
        }
        return bots;
    }

    private static async Task<WebApplication> StartBareEndpointAsync(string storage)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{BenchmarkMachine.FreePort()}");
        var queue = new QueueClient(storage, BareEndpoint.QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        var app = builder.Build();
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(Secret));
        app.MapPost("/bare/{botId}", async (HttpRequest request) =>
        {
            var presented = SHA256.HashData(Encoding.UTF8.GetBytes(request.Headers["X-Telegram-Bot-Api-Secret-Token"].ToString()));
            if (!CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                return Results.Unauthorized();
            }
            await queue.SendMessageAsync(await BinaryData.FromStreamAsync(request.Body));
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }

    private static async Task WaitForAsync(Uri baseAddress, string path)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync(path)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (waited.Elapsed < TimeSpan.FromMinutes(3))
            {
            }
            catch (TaskCanceledException) when (waited.Elapsed < TimeSpan.FromMinutes(3))
            {
            }
            await Task.Delay(200);
        }
    }

    private static Process Start(string fileName, string workingDirectory, Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "WebhookFunctions.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("Run from inside the repository (WebhookFunctions.sln not found above the binary).");
    }

    private sealed record RunResult(int Requests, double PerSecond, double P50Ms, double P99Ms, long NotOk, long LostOrDoubled);

    private static class BareEndpoint
    {
        public const string QueueName = "bare-updates";
    }
}
