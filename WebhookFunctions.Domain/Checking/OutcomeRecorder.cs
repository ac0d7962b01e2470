using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.History;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Checking;

/// <summary>
/// Records a batch of check results under optimistic concurrency. A row changed since it was read is read again:
/// if only bookkeeping changed (a status read, a received update) the outcome is written over it; if an operator
/// changed the webhook (set, delete, token, flags) the operator's row stands and the result is superseded (not recorded).
/// Only the database: settling a superseded check's Telegram call is the checker's (<see cref="BotChecker.SettleSupersededAsync"/>).
/// </summary>
internal sealed class OutcomeRecorder(IDbContextFactory<WebhookDbContext> databases, WebhookHistory history)
{
    private const int MaxAttempts = 3;

    /// <summary>The results, each with whether it was recorded.</summary>
    internal async Task<List<(BotCheckResult Result, bool Recorded)>> RecordAsync(IReadOnlyList<BotCheckResult> batch, CancellationToken cancellationToken)
    {
        var recorded = new List<(BotCheckResult, bool)>(batch.Count);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var pending = batch.Select(r => (Result: r, Row: r.ToRow(r.Read))).ToList();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var written = await CheckOutcomeWriter.WriteAsync(db, pending.Select(p => p.Row).ToList(), cancellationToken);
            recorded.AddRange(pending.Where(p => written.Contains(p.Row.Id)).Select(p => (p.Result, true)));
            var conflicts = pending.Where(p => !written.Contains(p.Row.Id)).ToList();
            if (conflicts.Count == 0)
            {
                break;
            }
            var ids = conflicts.Select(c => c.Row.Id).ToList();
            var current = await db.Credentials.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
            pending = [];
            foreach (var (result, row) in conflicts)
            {
                if (attempt < MaxAttempts && current.TryGetValue(row.Id, out var now) && CheckCandidates.SameIntent(result.Read, now))
                {
                    pending.Add((result, result.ToRow(now)));
                    continue;
                }
                recorded.Add((result, false));
            }
        }
        var (changes, deliveryErrors) = CheckHistory.Of(recorded);
        await history.RecordChecksAsync(changes, deliveryErrors);
        return recorded;
    }
}
