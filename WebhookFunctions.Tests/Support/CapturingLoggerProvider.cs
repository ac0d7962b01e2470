using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WebhookFunctions.Tests.Support;

/// <summary>Keeps every formatted log line (with exception text), so tests can search them for secrets.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<(string Text, TaskCompletionSource Seen)> _waiters = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public string AllText => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    /// <summary>Completes when a line holding <paramref name="text"/> is logged (or already was): a gate for background work.</summary>
    public Task WaitForLineAsync(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue((text, seen));
        if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            seen.TrySetResult();
        }
        return seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        foreach (var (text, seen) in _waiters)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            provider.Add($"{logLevel} {category}: {formatter(state, exception)} | {structured} {exception}");
        }
    }
}
