using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Receiving;

/// <summary>
/// Azurite's queue service (npm package azurite) on 127.0.0.1 and a free port, in memory. Tests can stop and start it;
/// a restart loses every queue and message. The binary: AZURITE_QUEUE_BIN, else node_modules/.bin at the repository
/// root (`npm ci`), else azurite-queue on PATH.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    // Azurite's well-known development account (public, documented by Microsoft).
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _workspace = Path.Combine(Path.GetTempPath(), "webhookfunctions-azurite", Guid.NewGuid().ToString("N"));
    private readonly Queue<string> _output = new();
    private Process? _process;

    public int Port { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};QueueEndpoint=http://127.0.0.1:{Port}/{AccountName};";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_workspace);
        Port = FreePort();
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_workspace, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A client that reads what the service wrote, decoding Base64 as the Functions queue trigger does.</summary>
    public QueueClient Queue(string name, QueueMessageEncoding encoding = QueueMessageEncoding.Base64) =>
        new(ConnectionString, name, new QueueClientOptions { MessageEncoding = encoding });

    /// <summary>Every message on the queue, left in place; none when the queue does not exist.</summary>
    public async Task<PeekedMessage[]> PeekAllAsync(string name, QueueMessageEncoding encoding = QueueMessageEncoding.Base64)
    {
        var queue = Queue(name, encoding);
        return await queue.ExistsAsync() ? (await queue.PeekMessagesAsync(maxMessages: 32)).Value : [];
    }

    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            return;
        }
        var start = new ProcessStartInfo(FindBinary())
        {
            WorkingDirectory = _workspace,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--inMemoryPersistence", "--queueHost", "127.0.0.1", "--queuePort", Port.ToString(), "--skipApiVersionCheck", "--loose",
            "--disableTelemetry", "--silent",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var waited = Stopwatch.StartNew();
        while (!await AnswersAsync())
        {
            if (process.HasExited || waited.Elapsed > StartTimeout)
            {
                await StopAsync();
                throw new InvalidOperationException($"Azurite ({start.FileName}) exited or did not listen on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds} s. Its output:\n{Output()}");
            }
            await Task.Delay(100);
        }
    }

    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    private async Task<bool> AnswersAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string FindBinary()
    {
        if (Environment.GetEnvironmentVariable("AZURITE_QUEUE_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"AZURITE_QUEUE_BIN is '{configured}', which does not exist.");
        }
        if (RepositoryRoot.TryFind() is { } root && Path.Combine(root, "node_modules", ".bin", "azurite-queue") is var local && File.Exists(local))
        {
            return local;
        }
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "azurite-queue");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            "Azurite was not found: run `npm ci` at the repository root (package.json installs azurite into node_modules), " +
            "or put azurite-queue on PATH, or set AZURITE_QUEUE_BIN to its path.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 50)
            {
                _output.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollectionDefinition : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
