using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>
/// What the receiver reads per delivery, per bot: each Telegram credential's id, state and the SHA-256 digest of its
/// webhook secret (never the secret). Entries live <see cref="ReceiverOptions.CredentialCacheDuration"/>; a change
/// saved in this process drops the bot's entry at once (<see cref="CredentialChangeWatcher"/>).
/// </summary>
internal sealed class ReceiverCredentialCache(IOptions<ReceiverOptions> options, TimeProvider time)
{
    // Bot ids come from the URL, so a caller could invent many: past this the cache starts over.
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private long _generation;

    /// <summary>A token to pass to <see cref="Store"/>: a load that overlapped an invalidation is not stored.</summary>
    internal long Generation => Interlocked.Read(ref _generation);

    internal IReadOnlyList<CachedCredential>? Find(Guid botId) =>
        _entries.TryGetValue(botId, out var entry) && time.GetUtcNow() < entry.ExpiresAt ? entry.Credentials : null;

    internal void Store(Guid botId, IReadOnlyList<CachedCredential> credentials, long generation)
    {
        var duration = options.Value.CredentialCacheDuration;
        if (duration <= TimeSpan.Zero || credentials.Count == 0)
        {
            return;
        }
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[botId] = new Entry(credentials, time.GetUtcNow() + duration);
        if (Generation != generation)
        {
            // Invalidated while loading: what was read may be older than the change.
            _entries.TryRemove(botId, out _);
        }
    }

    /// <summary>Forgets the bot, so the next delivery reads its credential again.</summary>
    public void Invalidate(Guid botId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(botId, out _);
    }

    private sealed record Entry(IReadOnlyList<CachedCredential> Credentials, DateTimeOffset ExpiresAt);
}

/// <summary>One credential as the receiver checks it; <see cref="SecretDigest"/> is SHA-256 of the webhook secret.</summary>
internal sealed record CachedCredential(Guid Id, bool IsActive, bool WebhookEnabled, byte[]? SecretDigest);
