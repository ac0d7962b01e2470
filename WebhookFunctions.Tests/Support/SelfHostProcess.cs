using System.Diagnostics;

namespace WebhookFunctions.Tests.Support;

/// <summary>
/// The self-host as its own process (dotnet WebhookFunctions.SelfHost.dll from the test's output), configured through
/// environment variables as a deployment would be, listening on 127.0.0.1. Killed with its process tree on dispose.
/// </summary>
internal sealed class SelfHostProcess : IAsyncDisposable
{
    // Generous: a loaded 2-core CI machine JITs four of these at once.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SelfHostProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    /// <summary>Starts <paramref name="count"/> processes at once; if one fails to start, the others are stopped too.</summary>
    public static async Task<SelfHostProcess[]> StartManyAsync(int count, IReadOnlyDictionary<string, string?> settings, string workingDirectory)
    {
        var starting = Enumerable.Range(0, count).Select(_ => StartAsync(settings, workingDirectory)).ToList();
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }
            throw;
        }
    }

    /// <param name="settings">Configuration keys ("Sharding:Mode"), passed as environment variables ("Sharding__Mode").</param>
    /// <param name="workingDirectory">The process's working directory.</param>
    public static async Task<SelfHostProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, string workingDirectory)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "WebhookFunctions.SelfHost.dll"), "--urls", "http://127.0.0.1:0", "--environment", "Test" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var self = new SelfHostProcess(process);
        process.OutputDataReceived += (_, e) => self.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => self.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(self._listening.Task, process.WaitForExitAsync(), Task.Delay(StartTimeout));
        if (started != self._listening.Task)
        {
            var output = self.Output();
            await self.DisposeAsync();
            throw new InvalidOperationException($"The self-host process did not start listening within {StartTimeout.TotalSeconds} s. Its output:\n{output}");
        }
        return self;
    }

    /// <summary>The last lines the process wrote (warnings and errors, and its start-up lines).</summary>
    public string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (line.Contains("Now listening on", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200)
            {
                _output.Dequeue();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
