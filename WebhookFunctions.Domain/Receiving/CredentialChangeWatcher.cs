using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>
/// Drops a bot from <see cref="ReceiverCredentialCache"/> whenever this process saves a change to one of its credentials:
/// set, delete, deactivation, token or secret rotation all save the row. Before the save (a load racing it is not
/// stored) and after it (a load that read the old row meanwhile is dropped).
/// </summary>
internal sealed class CredentialChangeWatcher(ReceiverCredentialCache cache) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Guid[]> _changing = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Forget(eventData.Context, before: true);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, before: true);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Forget(eventData.Context, before: false);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, before: false);
        return ValueTask.FromResult(result);
    }

    private void Forget(DbContext? context, bool before)
    {
        if (context is null)
        {
            return;
        }
        Guid[] bots;
        if (before)
        {
            bots = context.ChangeTracker.Entries<BotPlatformCredential>()
                .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
                .Select(e => e.Entity.BotId).Distinct().ToArray();
            _changing.AddOrUpdate(context, bots);
        }
        else if (!_changing.TryGetValue(context, out bots!))
        {
            return;
        }
        foreach (var bot in bots)
        {
            cache.Invalidate(bot);
        }
    }
}
