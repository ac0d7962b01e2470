using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Benchmarks;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Domain.Urls;

// Sweep benchmark: dotnet run -c Release --project WebhookFunctions.Benchmarks -- [--bots 1000,10000]
//   [--baseline-bots 200,1000] [--latency-ms 50] [--concurrency 32] [--batch 200]
var options = Arguments.Parse(args);
// The dashboard's reads instead: dotnet run -c Release --project WebhookFunctions.Benchmarks -- --fleet-pages 10000
if (options.Int("fleet-pages", 0) is > 0 and var fleetBots)
{
    await FleetPageBenchmark.RunAsync(fleetBots);
    return;
}
// The receiver against a bare enqueue (needs a Release build of the self-host and `npm ci`):
//   dotnet run -c Release --project WebhookFunctions.Benchmarks -- --receiver 16,64 [--seconds 20] [--rounds 2]
if (options.Ints("receiver", []) is { Length: > 0 } receiverConnections)
{
    await ReceiverBenchmark.RunAsync(receiverConnections, options.Int("seconds", 20), options.Int("rounds", 2));
    return;
}
// The sharded sweep over self-host processes: dotnet run -c Release --project WebhookFunctions.Benchmarks -- --shards 1,4 --bots 40000
if (options.Ints("shards", []) is { Length: > 0 } processCounts)
{
    await ShardedSweepBenchmark.RunAsync(processCounts, options.Ints("bots", [40_000]), TimeSpan.FromMilliseconds(options.Int("latency-ms", 50)), options.Int("concurrency", 32), options.Int("batch", 200));
    return;
}
var latency = TimeSpan.FromMilliseconds(options.Int("latency-ms", 50));
// The service alone, its memory: dotnet run -c Release --project WebhookFunctions.Benchmarks -- --sweep-memory 10000,100000
//   [--concurrency 64] [--self-host path/to/WebhookFunctions.SelfHost.dll]
if (options.Ints("sweep-memory", []) is { Length: > 0 } fleetSizes)
{
    await SweepMemoryBenchmark.RunAsync(fleetSizes, latency, options.Int("concurrency", 64), options.Text("self-host"));
    return;
}
var settings = new Dictionary<string, string?>
{
    ["Checker:MaxConcurrency"] = options.Int("concurrency", 32).ToString(CultureInfo.InvariantCulture),
    ["Checker:BatchSize"] = options.Int("batch", 200).ToString(CultureInfo.InvariantCulture),
};
var concurrency = options.Int("concurrency", 32);

Console.WriteLine($"Machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; "
    + $"Bot API latency {latency.TotalMilliseconds} ms; Checker:MaxConcurrency {concurrency}; Checker:BatchSize {settings["Checker:BatchSize"]}");

// JIT, connection pools and SQLite warmed on a small fleet first; not reported.
await using (var warmUp = await Fleet.CreateAsync(200, latency, settings))
{
    await using var scope = warmUp.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<WebhookChecker>().SweepAsync("warm-up", default);
}
Console.WriteLine();
Console.WriteLine("| sweep | bots | wall time | lower bound | ratio | Bot API calls | DB round trips | peak managed heap | allocated | load avg (1 min) |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");

foreach (var bots in options.Ints("bots", [1_000, 10_000]))
{
    await MeasureAsync("batched (WebhookChecker)", bots, concurrency, async fleet =>
    {
        await using var scope = fleet.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<WebhookChecker>().SweepAsync("benchmark", default);
        if (report.Checked != bots || report.Status != SweepStatus.Completed)
        {
            throw new InvalidOperationException($"The sweep checked {report.Checked} of {bots} ({report.Status}).");
        }
    });
}
foreach (var bots in options.Ints("baseline-bots", [200, 1_000]))
{
    await MeasureAsync("one at a time (seed)", bots, 1, fleet => new OneAtATimeSweep(
        fleet.Database,
        fleet.Services.GetRequiredService<ITelegramGateway>(),
        fleet.Services.GetRequiredService<WebhookUrlResolver>(),
        TimeProvider.System).RunAsync(default));
}

async Task MeasureAsync(string name, int bots, int parallelism, Func<Fleet, Task> sweep)
{
    await using var fleet = await Fleet.CreateAsync(bots, latency, settings);
    using var heap = new PeakHeapSampler();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    await sweep(fleet);
    clock.Stop();
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var calls = fleet.BotApi.Calls.Count;
    var lowerBound = TimeSpan.FromTicks(calls * latency.Ticks / parallelism);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {bots:N0} | {clock.Elapsed.TotalSeconds:F2} s | {lowerBound.TotalSeconds:F2} s | {clock.Elapsed / lowerBound:F2} | {calls:N0} | {fleet.Database.Commands:N0} | {heap.Peak / 1048576.0:F0} MiB | {allocated / 1048576.0:F0} MiB | {BenchmarkMachine.LoadAverage()} |"));
}

// Other work on the machine slows the sweep: the 1-minute load average is printed beside each row.

/// <summary>Samples the managed heap every 20 ms while a sweep runs (the stand-in shares the process).</summary>
internal sealed class PeakHeapSampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public PeakHeapSampler()
    {
        GC.Collect();
        _peak = GC.GetTotalMemory(forceFullCollection: false);
        _timer = new Timer(_ => Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), GC.GetTotalMemory(false))), null, 0, 20);
    }

    public long Peak => Interlocked.Read(ref _peak);

    public void Dispose() => _timer.Dispose();
}

/// <summary>"--name value" pairs.</summary>
internal sealed class Arguments(Dictionary<string, string> values)
{
    public static Arguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        return new Arguments(values);
    }

    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string? Text(string name) => values.GetValueOrDefault(name);

    public int[] Ints(string name, int[] fallback) =>
        values.TryGetValue(name, out var v) ? [.. v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))] : fallback;
}
