using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.History;

/// <summary>A bot's history, newest first, in keyset pages: <c>before</c> is the id of the oldest entry already shown.</summary>
internal sealed class HistoryQuery(IDbContextFactory<WebhookDbContext> databases)
{
    public const int MaxLimit = 200;

    public async Task<HistoryPage> GetPageAsync(Guid botId, int limit, long? before, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var entries = db.Set<WebhookHistoryEntry>().AsNoTracking().Where(h => h.BotId == botId);
        if (before is { } cursor)
        {
            entries = entries.Where(h => h.Id < cursor);
        }
        // One more than asked tells whether an older page exists.
        var page = await entries.OrderByDescending(h => h.Id).Take(limit + 1).Select(h => new HistoryEntryView
        {
            Id = h.Id,
            At = h.At,
            Kind = h.Kind,
            Actor = h.Actor,
            Reason = h.Reason,
            FromState = h.FromState,
            ToState = h.ToState,
            Url = h.Url,
            TelegramErrorAt = h.TelegramErrorAt,
            Message = h.Message,
        }).ToListAsync(cancellationToken);
        if (page.Count == 0 && before is null && !await db.Credentials.AnyAsync(c => c.BotId == botId, cancellationToken))
        {
            throw new BotNotFoundException(botId);
        }
        var more = page.Count > limit;
        var shown = more ? page[..limit] : page;
        return new HistoryPage(botId, shown, more ? shown[^1].Id : null);
    }
}

/// <summary>One page of a bot's history; <see cref="NextBefore"/> fetches the next older page, null at the end.</summary>
public sealed record HistoryPage(Guid BotId, IReadOnlyList<HistoryEntryView> Entries, long? NextBefore);

/// <summary>One history entry on the wire.</summary>
public sealed record HistoryEntryView
{
    public long Id { get; init; }
    public DateTime At { get; init; }
    public HistoryKind Kind { get; init; }
    public HistoryActor Actor { get; init; }
    public string? Reason { get; init; }
    public BotState? FromState { get; init; }
    public BotState? ToState { get; init; }
    public string? Url { get; init; }
    public DateTime? TelegramErrorAt { get; init; }
    public string? Message { get; init; }
}
