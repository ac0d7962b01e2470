using System.Diagnostics;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Urls;

/// <summary>
/// A stand-in `ngrok` executable: a bash script in a temp folder that records its arguments, NGROK_AUTHTOKEN and
/// process id to a file, then does what the test asked. Bringing the agent up is an HTTP call to the agent stand-in,
/// made after the record is written, so a test never waits on a timer of its own.
/// </summary>
internal sealed class FakeNgrok : IDisposable
{
    private readonly string _folder;

    private FakeNgrok(string behaviour)
    {
        _folder = Path.Combine(Path.GetTempPath(), "webhookfunctions-tests", "fake-ngrok-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        RecordPath = Path.Combine(_folder, "record.txt");
        ExecutablePath = Path.Combine(_folder, "ngrok");
        File.WriteAllText(ExecutablePath, $$"""
            #!/usr/bin/env bash
            { printf 'arg=%s\n' "$@"; printf 'NGROK_AUTHTOKEN=%s\n' "${NGROK_AUTHTOKEN-<unset>}"; printf 'pid=%s\n' "$$"; } > '{{RecordPath}}'
            {{behaviour}}

            """.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(ExecutablePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The value for Ngrok:Path.</summary>
    public string ExecutablePath { get; }

    public string RecordPath { get; }

    /// <summary>Makes the agent stand-in answer, then keeps running like a real agent until stopped.</summary>
    public static FakeNgrok BringingUp(NgrokAgentStandIn agent) => new($"""
        exec 3<>/dev/tcp/127.0.0.1/{agent.Port}
        printf 'POST {NgrokAgentStandIn.AnswerPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' >&3
        cat <&3 > /dev/null
        exec 3>&-
        exec sleep 600
        """);

    /// <summary>Runs without ever serving its API (e.g. its web_addr is elsewhere).</summary>
    public static FakeNgrok Silent() => new("exec sleep 600");

    /// <summary>Prints <paramref name="line"/> to stderr and exits with <paramref name="exitCode"/>, as ngrok does on a bad authtoken.</summary>
    public static FakeNgrok Failing(int exitCode, string line) => new($"""
        echo "{line}" >&2
        exit {exitCode}
        """);

    public IReadOnlyList<string> Arguments => Record().Where(l => l.StartsWith("arg=", StringComparison.Ordinal)).Select(l => l[4..]).ToList();

    public string AuthToken => Value("NGROK_AUTHTOKEN");

    public int ProcessId => int.Parse(Value("pid"), System.Globalization.CultureInfo.InvariantCulture);

    public bool WasStarted => File.Exists(RecordPath);

    public static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private string[] Record() => File.ReadAllLines(RecordPath);

    private string Value(string key) => Record().Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A fact that runs the fake ngrok (a bash script): skipped on Windows.</summary>
internal sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "The fake ngrok executable is a bash script.";
        }
    }
}

/// <summary>A theory that runs the fake ngrok (a bash script): skipped on Windows.</summary>
internal sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "The fake ngrok executable is a bash script.";
        }
    }
}
