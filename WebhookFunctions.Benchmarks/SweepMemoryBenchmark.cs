using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Urls;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Benchmarks;

/// <summary>
/// The service alone: the Release self-host and the Bot API stand-in each in its own process, one sweep triggered over
/// HTTP, the self-host's resident memory read from /proc. Its peak must not grow with the fleet (issue 13, item 2).
/// </summary>
internal static class SweepMemoryBenchmark
{
    private const string Key = "sweep-memory-benchmark-key-0123456789abcdef";

    /// <param name="fleetSizes">The fleets to measure, one run each.</param>
    /// <param name="latency">How long the Bot API stand-in takes to answer each call.</param>
    /// <param name="concurrency">The self-host's Checker:MaxConcurrency.</param>
    /// <param name="selfHost">The self-host's dll; null: the build beside this one (another, e.g. a copy of an older build, to compare).</param>
    public static async Task RunAsync(int[] fleetSizes, TimeSpan latency, int concurrency, string? selfHost)
    {
        selfHost ??= SiblingOutput("WebhookFunctions.SelfHost");
        var standIn = Path.Combine(AppContext.BaseDirectory, "WebhookFunctions.StandIns.dll");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; "
            + $"self-host {selfHost} (its own process, its default GC); Bot API stand-in in another process, latency {latency.TotalMilliseconds} ms; "
            + $"Checker:MaxConcurrency {concurrency}, Checker:BatchSize 200 (default); "
            + $"MALLOC_ARENA_MAX {Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") ?? "unset (glibc's default)"} (the service inherits it)");
        Console.WriteLine();
        Console.WriteLine("| bots | wall time | Bot API calls | checked | RSS before | peak working set (VmHWM, reset before the sweep) | peak - before | RSS after | of which anonymous (malloc and GC) | peak growth vs first row | load avg (1 min) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        long? firstPeak = null;
        foreach (var bots in fleetSizes)
        {
            var run = await MeasureAsync(selfHost, standIn, bots, latency, concurrency);
            firstPeak ??= run.PeakBytes;
            var growth = (run.PeakBytes - firstPeak.Value) * 100.0 / firstPeak.Value;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {bots:N0} | {run.Wall.TotalSeconds:F2} s | {run.Calls:N0} | {run.Checked:N0} | {Mib(run.RssBeforeBytes)} | {Mib(run.PeakBytes)} | {Mib(run.PeakBytes - run.RssBeforeBytes)} | {Mib(run.RssAfterBytes)} | {Mib(run.AnonymousAfterBytes)} | {growth:+0.0;-0.0;0.0} % | {run.LoadAverage} |"));
        }
    }

    private sealed record Run(TimeSpan Wall, long Calls, int Checked, long RssBeforeBytes, long PeakBytes, long RssAfterBytes, long AnonymousAfterBytes, string LoadAverage);

    private static async Task<Run> MeasureAsync(string selfHost, string standIn, int bots, TimeSpan latency, int concurrency)
    {
        var folder = Path.Combine(Path.GetTempPath(), "webhookfunctions-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "webhooks.db");
        var botApiPort = BenchmarkMachine.FreePort();
        var botApiUrl = $"http://127.0.0.1:{botApiPort}";
        await SeedAsync(folder, botApiUrl, bots);

        using var botApi = Start(standIn, new(),
            botApiPort.ToString(CultureInfo.InvariantCulture), "--latency-ms", ((int)latency.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            "--fleet", bots.ToString(CultureInfo.InvariantCulture), "--fleet-webhook-url", WebhookUrlResolver.Combine(Fleet.Domain, Guid.Empty).Replace(Guid.Empty.ToString("D"), "{bot_id}", StringComparison.Ordinal));
        var servicePort = BenchmarkMachine.FreePort();
        using var service = Start(selfHost, new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Urls"] = $"http://127.0.0.1:{servicePort}",
            ["Database__SqlitePath"] = database,
            ["Telegram__ApiBaseUrl"] = botApiUrl,
            ["Webhook__Mode"] = "Domain",
            ["Webhook__Domain"] = Fleet.Domain,
            ["Auth__ApiKeys__0"] = Key,
            // Never reached: a sweep enqueues nothing.
            ["UpdateQueue__ConnectionString"] = "UseDevelopmentStorage=true",
            ["Checker__ScheduleEnabled"] = "false",
            ["Checker__MaxConcurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            // Every bot checked even when other load slows the sweep past the 4-minute default: the memory of the whole fleet is measured.
            ["Checker__TimeBudget"] = "01:00:00",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            var serviceUrl = $"http://127.0.0.1:{servicePort}";
            await WaitUntilAnsweringAsync(http, $"{botApiUrl}/stand-in/calls", botApi);
            await WaitUntilAnsweringAsync(http, $"{serviceUrl}/healthz", service);
            // Warm: authentication, EF Core's model and a query, Kestrel, before "before" is read.
            using (var page = Request(HttpMethod.Get, $"{serviceUrl}/v1/api/webhooks/telegram?page=1&size=50"))
            {
                (await http.SendAsync(page)).EnsureSuccessStatusCode();
            }
            var rssBefore = ProcStatus(service.Id, "VmRSS");
            // Linux: writing 5 to clear_refs resets VmHWM to the current RSS, so the peak is the sweep's, not start-up's.
            await File.WriteAllTextAsync($"/proc/{service.Id}/clear_refs", "5");
            var callsBefore = await CallsAsync(http, botApiUrl);
            var clock = Stopwatch.StartNew();
            using var check = Request(HttpMethod.Post, $"{serviceUrl}/v1/api/webhooks/telegram/check");
            using var answer = await http.SendAsync(check);
            clock.Stop();
            var peak = ProcStatus(service.Id, "VmHWM");
            var rssAfter = ProcStatus(service.Id, "VmRSS");
            var anonymousAfter = ProcStatus(service.Id, "RssAnon");
            var load = BenchmarkMachine.LoadAverage();
            answer.EnsureSuccessStatusCode();
            using var report = JsonDocument.Parse(await answer.Content.ReadAsStreamAsync());
            var checkedBots = report.RootElement.GetProperty("checked").GetInt32();
            if (checkedBots != bots || report.RootElement.GetProperty("status").GetString() != "completed")
            {
                throw new InvalidOperationException($"The sweep checked {checkedBots} of {bots} ({report.RootElement.GetProperty("status")}).");
            }
            return new Run(clock.Elapsed, await CallsAsync(http, botApiUrl) - callsBefore, checkedBots, rssBefore, peak, rssAfter, anonymousAfter, load);
        }
        finally
        {
            BenchmarkMachine.Stop(service);
            BenchmarkMachine.Stop(botApi);
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>N credentials of the stand-in's deterministic fleet, written straight to a file migrated by the library.</summary>
    private static async Task SeedAsync(string folder, string botApiUrl, int bots)
    {
        using var host = await Fleet.StartHostAsync(folder, botApiUrl, new Dictionary<string, string?>());
        var databases = host.Services.GetRequiredService<IDbContextFactory<WebhookDbContext>>();
        var at = DateTime.UtcNow.AddHours(-1);
        for (var start = 0; start < bots; start += 5_000)
        {
            await using var db = await databases.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(bots, start + 5_000); i++)
            {
                db.Credentials.Add(Fleet.Credential(StandInFleet.BotId(i), StandInFleet.Token(i), i, at));
            }
            await db.SaveChangesAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static HttpRequestMessage Request(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("x-functions-key", Key);
        return request;
    }

    private static async Task<long> CallsAsync(HttpClient http, string botApiUrl)
    {
        using var stats = JsonDocument.Parse(await http.GetStringAsync($"{botApiUrl}/stand-in/calls"));
        return stats.RootElement.GetProperty("calls").GetInt64();
    }

    private static async Task WaitUntilAnsweringAsync(HttpClient http, string url, Process process)
    {
        // A loaded machine can take a minute or more to start a process.
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.Arguments.Split(' ')[0]} exited with {process.ExitCode} before answering.");
            }
            try
            {
                using var answer = await http.GetAsync(url);
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (waited.Elapsed < TimeSpan.FromMinutes(5))
            {
            }
            // Polling a process that starts up: no result depends on this wait.
            await Task.Delay(100);
        }
    }

    /// <summary>A value in kB from /proc/&lt;pid&gt;/status (VmRSS: resident now; VmHWM: the peak since start or the last reset; RssAnon: the anonymous part of VmRSS), in bytes.</summary>
    private static long ProcStatus(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static Process Start(string dll, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        // Drained so a full pipe never blocks the process; warnings and errors still reach this console.
        process.OutputDataReceived += (_, e) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Another project's build output beside this one's: same configuration and framework.</summary>
    private static string SiblingOutput(string project)
    {
        var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = own.Name;
        var configuration = own.Parent!.Name;
        var root = own.Parent.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, project, "bin", configuration, framework, project + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build it first: dotnet build -c {configuration} {project}", dll);
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F0} MiB");
}
