using System.ComponentModel;
using System.Diagnostics;

namespace WebhookFunctions.Domain.Urls;

/// <summary>An ngrok agent this service started: drains its output, remembers its last line, and stops it on dispose.</summary>
internal sealed class NgrokAgentProcess : IDisposable
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);
    private const int MaxLineLength = 300;

    private readonly Lock _lock = new();
    private string? _lastLine;

    private readonly string? _authToken;

    /// <param name="process">The started agent, its output redirected.</param>
    /// <param name="authToken">Removed from every remembered line before it is shortened, so no part of it survives.</param>
    public NgrokAgentProcess(Process process, string? authToken = null)
    {
        Process = process;
        _authToken = authToken;
        // Draining both pipes keeps a chatty agent from blocking on a full pipe.
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    /// <summary>": {last line}" of what the agent printed, usually why it stopped; empty when it printed nothing.</summary>
    public string LastOutput()
    {
        lock (_lock)
        {
            return _lastLine is null ? "" : $": {_lastLine}";
        }
    }

    private void Remember(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }
        lock (_lock)
        {
            var redacted = string.IsNullOrEmpty(_authToken) ? line.Trim() : line.Trim().Replace(_authToken, "[NGROK_AUTHTOKEN]", StringComparison.Ordinal);
            _lastLine = redacted.Length > MaxLineLength ? redacted[..MaxLineLength] + "..." : redacted;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(StopWait);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // It exited on its own meanwhile.
        }
        Process.Dispose();
    }
}
