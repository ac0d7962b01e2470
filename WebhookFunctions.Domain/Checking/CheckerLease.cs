using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Checking;

/// <summary>
/// The sweep_lease row "webhook-checker": taken with one conditional update, so across timer firings, replicas
/// and manual runs at most one sweep holds it until it is released or expires.
/// </summary>
internal sealed class CheckerLease(IDbContextFactory<WebhookDbContext> databases, TimeProvider time)
{
    private static readonly DateTime Free = DateTime.SpecifyKind(DateTime.UnixEpoch, DateTimeKind.Utc);

    /// <summary>A holder name unique to one sweep, readable in the table: machine, process, sweep.</summary>
    public static string NewHolder() =>
        $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}" is var holder && holder.Length > 128 ? holder[^128..] : holder;

    public async Task<bool> TryAcquireAsync(string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expiresAt = now + duration;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var taken = await db.SweepLeases
            .Where(l => l.Name == SweepLease.CheckerLease && l.ExpiresAt < now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, expiresAt), cancellationToken);
        return taken == 1;
    }

    /// <summary>Extends the lease by <paramref name="duration"/> from now if this holder still has it; false when it passed to another.</summary>
    public async Task<bool> RenewAsync(string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        var expiresAt = time.GetUtcNow().UtcDateTime + duration;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var renewed = await db.SweepLeases
            .Where(l => l.Name == SweepLease.CheckerLease && l.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, expiresAt), cancellationToken);
        return renewed == 1;
    }

    /// <summary>Frees the lease if this holder still has it (an expired lease may have passed to another sweep).</summary>
    public async Task ReleaseAsync(string holder, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.SweepLeases
            .Where(l => l.Name == SweepLease.CheckerLease && l.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, (string?)null).SetProperty(l => l.ExpiresAt, Free), cancellationToken);
    }
}
