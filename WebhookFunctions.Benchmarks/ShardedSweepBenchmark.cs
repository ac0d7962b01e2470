using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebhookFunctions.Domain;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Sharding;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Benchmarks;

/// <summary>
/// One sharded run over N healthy bots, consumed by 1 or more self-host processes sharing one SQLite file and one
/// Azurite, the Bot API stand-in (in this process) answering after the given latency. Prints wall time from dispatch to
/// the run's completion, Bot API calls, whether every bot was checked exactly once, and the load average.
/// </summary>
internal static class ShardedSweepBenchmark
{
    private const string Domain = "https://hooks.example.test";

    public static async Task RunAsync(int[] processCounts, int[] fleets, TimeSpan latency, int concurrency, int batch)
    {
        var root = RepositoryRoot.Find();
        var azuritePort = BenchmarkMachine.FreePort();
        using var azurite = StartAzurite(root, azuritePort);
        var storage = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:{azuritePort}/devstoreaccount1;";
        await WaitForPortAsync(azuritePort);
        Console.WriteLine($"Sharded sweep: Bot API latency {latency.TotalMilliseconds} ms, Checker:MaxConcurrency {concurrency} per process, Checker:BatchSize {batch} (bots per shard)");
        Console.WriteLine();
        Console.WriteLine("| processes | bots | shards | wall time | lower bound | ratio | Bot API calls | checked once | load avg (1 min) before / after |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var bots in fleets)
        {
            foreach (var processes in processCounts)
            {
                await MeasureAsync(processes, bots, latency, concurrency, batch, storage);
            }
        }
        azurite.Kill(entireProcessTree: true);
    }

    private static async Task MeasureAsync(int processes, int bots, TimeSpan latency, int concurrency, int batch, string storage)
    {
        var folder = Path.Combine(Path.GetTempPath(), "webhookfunctions-bench", "shards-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var botApi = await BotApiStandIn.StartAsync();
        var queueName = "bench-shards-" + Guid.NewGuid().ToString("N")[..12];
        var settings = new Dictionary<string, string?>
        {
            ["Database:SqlitePath"] = Path.Combine(folder, "webhooks.db"),
            ["Telegram:ApiBaseUrl"] = botApi.BaseUrl,
            ["Telegram:Timeout"] = "00:00:30",
            ["Webhook:Mode"] = "Domain",
            ["Webhook:Domain"] = Domain,
            ["Auth:ApiKeys:0"] = "benchmark-management-key-0123456789abcdef",
            ["UpdateQueue:ConnectionString"] = storage,
            ["Sharding:QueueName"] = queueName,
            ["Sharding:Mode"] = "On",
            ["Sharding:PollInterval"] = "00:00:00.200",
            ["Checker:ScheduleEnabled"] = "false",
            ["Checker:MaxConcurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["Checker:BatchSize"] = batch.ToString(CultureInfo.InvariantCulture),
            ["Checker:TimeBudget"] = "00:30:00",
            ["Checker:LeaseDuration"] = "00:40:00",
        };
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddWebhookManagement(builder.Configuration);
        using var host = builder.Build();
        await host.Services.MigrateWebhookDatabaseAsync();
        var databases = host.Services.GetRequiredService<IDbContextFactory<WebhookDbContext>>();
        IReadOnlyList<string> tokens;
        await using (var db = await databases.CreateDbContextAsync())
        {
            tokens = await FleetSeeder.SeedHealthyAsync(db, botApi, bots, Domain, DateTime.UtcNow);
        }
        botApi.Latency = latency;
        var replicas = await SelfHostProcess.StartManyAsync(processes, settings, folder);
        try
        {
            var loadBefore = BenchmarkMachine.LoadAverage();
            var clock = Stopwatch.StartNew();
            await using (var scope = host.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<ShardedSweep>().DispatchAsync("benchmark", default);
            }
            var run = await WaitForRunAsync(databases);
            clock.Stop();
            var calls = botApi.Calls.Count;
            var infos = FleetSeeder.InfoCallsByToken(botApi);
            var once = tokens.All(t => infos.GetValueOrDefault(t) == 1) && run.Checked == bots;
            var lowerBound = TimeSpan.FromTicks(calls * latency.Ticks / (concurrency * processes));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {processes} | {bots:N0} | {run.Shards:N0} | {clock.Elapsed.TotalSeconds:F2} s | {lowerBound.TotalSeconds:F2} s | {clock.Elapsed / lowerBound:F2} | {calls:N0} | {(once ? "yes" : $"NO ({run.Status}, {run.Checked:N0} checked)")} | {loadBefore} / {BenchmarkMachine.LoadAverage()} |"));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<SweepRun> WaitForRunAsync(IDbContextFactory<WebhookDbContext> databases)
    {
        while (true)
        {
            await using (var db = await databases.CreateDbContextAsync())
            {
                var run = await db.Set<SweepRun>().AsNoTracking().SingleAsync(r => r.RunId != null);
                if (run.Status is not (SweepStatus.Running or SweepStatus.Completing))
                {
                    return run;
                }
            }
            await Task.Delay(100);
        }
    }

    private static Process StartAzurite(string root, int port)
    {
        var start = new ProcessStartInfo(Path.Combine(root, "node_modules", ".bin", "azurite-queue"))
        {
            WorkingDirectory = Path.GetTempPath(),
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--inMemoryPersistence", "--queueHost", "127.0.0.1", "--queuePort", port.ToString(CultureInfo.InvariantCulture), "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite (run npm ci at the repository root).");
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{port}.");
    }
}
