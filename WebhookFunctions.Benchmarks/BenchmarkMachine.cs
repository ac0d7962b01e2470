using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WebhookFunctions.Benchmarks;

/// <summary>What every benchmark asks of the machine: a free loopback port, the load beside each row, its processes stopped.</summary>
internal static class BenchmarkMachine
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The 1-minute load average, printed beside each figure: a loaded machine moves every timing.</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <summary>Stops a process this benchmark started, with everything it started.</summary>
    public static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
    }
}
