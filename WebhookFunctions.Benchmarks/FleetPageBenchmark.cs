using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Dashboard;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Benchmarks;

/// <summary>
/// The dashboard's reads at fleet scale: one page of the fleet list (least healthy first, filtered, searched) and the
/// summary, each timed over many runs on a seeded fleet with a mix of states.
/// </summary>
internal static class FleetPageBenchmark
{
    private const int Runs = 50;

    public static async Task RunAsync(int bots)
    {
        await using var fleet = await Fleet.CreateAsync(bots, TimeSpan.Zero, []);
        await using (var db = fleet.Database.CreateDbContext())
        {
            // 1 % failing, 0.5 % deferred, 0.2 % token rejected, the rest healthy.
            await db.Database.ExecuteSqlRawAsync("""
                UPDATE bot_platform_credential SET
                    last_check_outcome = CASE WHEN rowid % 100 = 0 THEN 'failed' WHEN rowid % 200 = 1 THEN 'deferred' ELSE 'healthy' END,
                    token_rejected = CASE WHEN rowid % 500 = 3 THEN 1 ELSE 0 END
                """);
        }
        var last = (bots + 49) / 50;
        Console.WriteLine($"| read ({bots:N0} bots) | wall, median | wall, p95 | CPU, median | rows | load avg (1 min) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        await MeasureAsync(fleet, "fleet page 1, least healthy first, size 50", q => q.GetPageAsync(1, 50, new FleetFilter(UnhealthyFirst: true), default));
        await MeasureAsync(fleet, $"fleet page {last} (the last), least healthy first", q => q.GetPageAsync(last, 50, new FleetFilter(UnhealthyFirst: true), default));
        await MeasureAsync(fleet, "fleet page 1, state=failing", q => q.GetPageAsync(1, 50, new FleetFilter(State: BotState.Failing, UnhealthyFirst: true), default));
        await MeasureAsync(fleet, "fleet page 1, search=ab12", q => q.GetPageAsync(1, 50, new FleetFilter(BotIdContains: "ab12", UnhealthyFirst: true), default));
        await MeasureAsync(fleet, "fleet page 1, by bot id (the default order)", q => q.GetPageAsync(1, 50, FleetFilter.None, default));
        await MeasureSummaryAsync(fleet);
    }

    private static async Task MeasureAsync(Fleet fleet, string name, Func<FleetQuery, Task<FleetPage>> read)
    {
        var query = fleet.Services.GetRequiredService<IServiceScopeFactory>().CreateScope().ServiceProvider.GetRequiredService<FleetQuery>();
        var rows = (await read(query)).Bots.Count;
        await TimeAsync(name, rows, () => read(query));
    }

    private static async Task MeasureSummaryAsync(Fleet fleet)
    {
        var summary = fleet.Services.GetRequiredService<IServiceScopeFactory>().CreateScope().ServiceProvider.GetRequiredService<FleetSummaryQuery>();
        var total = (await summary.GetAsync(default)).Total;
        await TimeAsync("summary (bots by state, last sweep)", total, () => summary.GetAsync(default));
    }

    // Wall time and this process's CPU time: on a busy machine the CPU time is the steadier figure.
    private static async Task TimeAsync(string name, int rows, Func<Task> read)
    {
        var wall = new List<double>();
        var cpu = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < Runs; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await read();
            wall.Add(clock.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
        wall.Sort();
        cpu.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {wall[Runs / 2]:F1} ms | {wall[Runs * 95 / 100]:F1} ms | {cpu[Runs / 2]:F1} ms | {rows:N0} | {File.ReadAllText("/proc/loadavg").Split(' ')[0]} |"));
    }
}
