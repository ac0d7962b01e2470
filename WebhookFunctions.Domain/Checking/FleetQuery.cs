using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Checking;

/// <summary>The fleet overview from the database alone (no Telegram calls): one page of bots, ordered by bot id.</summary>
internal sealed class FleetQuery(IDbContextFactory<WebhookDbContext> databases)
{
    public const int MaxPageSize = 500;

    /// <summary>Page numbers start at 1; <paramref name="size"/> is 1 to <see cref="MaxPageSize"/>.</summary>
    public Task<FleetPage> GetPageAsync(int page, int size, CancellationToken cancellationToken) =>
        GetPageAsync(page, size, FleetFilter.None, cancellationToken);

    /// <summary>One page of the bots <paramref name="filter"/> keeps, in its order.</summary>
    public async Task<FleetPage> GetPageAsync(int page, int size, FleetFilter filter, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxPageSize);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var fleet = db.Credentials.AsNoTracking().ActiveTelegram().Matching(filter);
        var total = await fleet.CountAsync(cancellationToken);
        // The page's ids are found first, sorting only (rank, bot id, id), then its rows are read: a deep page then costs
        // little more than the first (measured in docs/dashboard figures).
        var pageIds = Ordered(fleet, filter).Skip((page - 1) * size).Take(size).Select(c => c.Id);
        var bots = await Ordered(fleet.Where(c => pageIds.Contains(c.Id)), filter)
            .Select(BotStates.Including<FleetBot>(c => new FleetBot
            {
                BotId = c.BotId,
                WebhookEnabled = c.WebhookEnabled,
                AutoRefresh = c.WebhookAutoRefresh,
                WebhookUrl = c.WebhookUrl,
                TokenRejected = c.TokenRejected,
                LastChecked = c.WebhookLastChecked,
                LastSetAt = c.WebhookLastSetAt,
                LastCheckOutcome = c.LastCheckOutcome,
                LastCheckReason = c.LastCheckReason,
                LastError = c.LastError,
                ConsecutiveFailures = c.ConsecutiveFailures,
                PendingUpdateCount = c.LastPendingUpdateCount,
                LastUpdateReceivedAt = c.LastUpdateReceivedAt,
                Contested = c.ContestedAt != null,
                ContestedSince = c.ContestedAt,
                RivalHost = c.ContestedHost,
                SweepsUntilProbe = c.ContestedAt == null ? null : c.ContestSkipSweeps,
            }, nameof(FleetBot.State)))
            .ToListAsync(cancellationToken);
        return new FleetPage(page, size, total, bots);
    }

    private static IOrderedQueryable<BotPlatformCredential> Ordered(IQueryable<BotPlatformCredential> fleet, FleetFilter filter) =>
        filter.UnhealthyFirst ? fleet.OrderBy(BotStates.Rank).ThenBy(c => c.BotId) : fleet.OrderBy(c => c.BotId);

    /// <summary>How many active bots are in each <see cref="BotState"/>: one grouped query.</summary>
    public async Task<IReadOnlyDictionary<BotState, int>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var groups = await db.Credentials.AsNoTracking().ActiveTelegram()
            .GroupBy(c => new { c.TokenRejected, c.LastCheckOutcome })
            .Select(g => new { g.Key.TokenRejected, g.Key.LastCheckOutcome, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return groups
            .GroupBy(g => BotStates.Of(g.TokenRejected, g.LastCheckOutcome))
            .ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
    }
}

/// <summary>One page of the fleet and how many bots there are in all.</summary>
public sealed record FleetPage(int Page, int Size, int Total, IReadOnlyList<FleetBot> Bots);

/// <summary>One bot's webhook as the database knows it. Never carries the token or the secret.</summary>
public sealed record FleetBot
{
    public Guid BotId { get; init; }

    public BotState State { get; init; }
    public bool WebhookEnabled { get; init; }
    public bool AutoRefresh { get; init; }
    public string? WebhookUrl { get; init; }
    public bool TokenRejected { get; init; }
    public DateTime? LastChecked { get; init; }
    public DateTime? LastSetAt { get; init; }
    public CheckOutcome? LastCheckOutcome { get; init; }
    public string? LastCheckReason { get; init; }
    public string? LastError { get; init; }
    public int ConsecutiveFailures { get; init; }
    public int? PendingUpdateCount { get; init; }
    public DateTime? LastUpdateReceivedAt { get; init; }

    /// <summary>Another holder of the token keeps moving the webhook; the checker backs off (docs/checker.md).</summary>
    public bool Contested { get; init; }
    public DateTime? ContestedSince { get; init; }

    /// <summary>scheme://host of the URL the rival set, never its path; null when the rival deleted the webhook.</summary>
    public string? RivalHost { get; init; }

    /// <summary>Sweeps until the checker looks at a contested bot again (0: the next sweep).</summary>
    public int? SweepsUntilProbe { get; init; }
}

/// <summary>Which bots of the fleet list, and in which order. Null fields keep every bot.</summary>
internal sealed record FleetFilter(BotState? State = null, string? BotIdContains = null, bool UnhealthyFirst = false, bool? Contested = null)
{
    public static FleetFilter None { get; } = new();
}

/// <summary>Applies a <see cref="FleetFilter"/> in SQL.</summary>
internal static class FleetFilters
{
    public static IQueryable<BotPlatformCredential> Matching(this IQueryable<BotPlatformCredential> fleet, FleetFilter filter)
    {
        if (filter.Contested is { } wanted)
        {
            fleet = fleet.Where(c => (c.ContestedAt != null) == wanted);
        }
        if (filter.State is { } state)
        {
            fleet = fleet.Where(BotStates.Is(state));
        }
        if (filter.BotIdContains is { } part)
        {
            // Bot ids are stored and converted upper-case in both providers.
            var upper = part.ToUpperInvariant();
            fleet = fleet.Where(c => c.BotId.ToString().Contains(upper));
        }
        return fleet;
    }
}
