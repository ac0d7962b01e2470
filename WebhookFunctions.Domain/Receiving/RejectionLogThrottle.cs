namespace WebhookFunctions.Domain.Receiving;

/// <summary>
/// Lets one log line per bot and reason through per <see cref="Window"/> and counts the ones held back, so anyone
/// posting bad deliveries cannot flood the log (the metric still counts every one).
/// </summary>
internal sealed class RejectionLogThrottle(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // Bot ids come from the URL, so a caller can invent any number: past this many, new ones share one line per reason.
    internal const int MaxTrackedBots = 10_000;

    private readonly Dictionary<(Guid? BotId, ReceiveOutcome Reason), Entry> _entries = [];
    private readonly Lock _lock = new();

    /// <summary>True when this rejection is to be logged, with how many like it were held back since the last line.</summary>
    public bool ShouldLog(Guid? botId, ReceiveOutcome reason, out long suppressed)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var key = (botId, reason);
            if (!_entries.ContainsKey(key) && _entries.Count >= MaxTrackedBots)
            {
                Forget(now);
                if (_entries.Count >= MaxTrackedBots)
                {
                    key = (null, reason);
                }
            }
            if (_entries.TryGetValue(key, out var entry) && now - entry.LoggedAt < Window)
            {
                entry.Suppressed++;
                suppressed = 0;
                return false;
            }
            suppressed = entry?.Suppressed ?? 0;
            _entries[key] = new Entry { LoggedAt = now };
            return true;
        }
    }

    // Entries whose window has passed only remember a count that nobody will be told; dropping them bounds the memory.
    private void Forget(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries.Where(e => now - e.Value.LoggedAt >= Window).ToList())
        {
            _entries.Remove(key);
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset LoggedAt { get; init; }
        public long Suppressed { get; set; }
    }
}
