using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Errors;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>The lookups every bot operation starts with.</summary>
internal static class CredentialQueries
{
    public static IQueryable<BotPlatformCredential> ActiveTelegram(this IQueryable<BotPlatformCredential> credentials) =>
        credentials.Where(c => c.Platform == Platforms.Telegram && c.IsActive);

    /// <summary>The bot's active Telegram credential (tracked), or null.</summary>
    public static Task<BotPlatformCredential?> FindActiveTelegramAsync(this WebhookDbContext db, Guid botId, CancellationToken cancellationToken) =>
        db.Credentials.ActiveTelegram().SingleOrDefaultAsync(c => c.BotId == botId, cancellationToken);

    /// <summary>The bot's active Telegram credential (tracked), or <see cref="BotNotFoundException"/>.</summary>
    public static async Task<BotPlatformCredential> GetActiveTelegramAsync(this WebhookDbContext db, Guid botId, CancellationToken cancellationToken) =>
        await db.FindActiveTelegramAsync(botId, cancellationToken) ?? throw new BotNotFoundException(botId);

    /// <summary>The credential's bot token, or null when it is missing or malformed.</summary>
    public static string? WellFormedToken(this BotPlatformCredential credential) =>
        BotToken.Read(credential.Credentials) is { } token && BotToken.IsWellFormed(token) ? token : null;

    /// <summary>The credential's bot token, or <see cref="InvalidCredentialException"/> when it is missing or malformed.</summary>
    public static string RequireToken(this BotPlatformCredential credential) =>
        credential.WellFormedToken() ?? throw new InvalidCredentialException(credential.BotId);

    /// <summary>
    /// Saves a change made on behalf of an operator. If a sweep wrote the row meanwhile, the row is reloaded and
    /// the change applied again: the operator's choice stands, the sweep's bookkeeping is kept.
    /// </summary>
    public static async Task SaveOperatorChangeAsync(this WebhookDbContext db, BotPlatformCredential credential, Action<BotPlatformCredential> change, CancellationToken cancellationToken)
    {
        change(credential);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            // Each conflict means another save of the row succeeded; racing calls on one bot may take several rounds.
            catch (DbUpdateConcurrencyException) when (attempt < 10)
            {
                await db.Entry(credential).ReloadAsync(cancellationToken);
                if (!credential.IsActive)
                {
                    throw new BotNotFoundException(credential.BotId);
                }
                change(credential);
            }
        }
    }

    /// <summary>
    /// Records an operator's intent (what Telegram should hold) with the next generation, before Telegram is called, so
    /// an overlapping earlier call sees it afterwards. Returns that generation.
    /// </summary>
    public static async Task<long> RecordIntentAsync(this WebhookDbContext db, BotPlatformCredential credential, Action<BotPlatformCredential> intent, DateTime now, CancellationToken cancellationToken)
    {
        await db.SaveOperatorChangeAsync(credential, c =>
        {
            intent(c);
            c.IntentGeneration++;
            c.UpdatedAt = now;
        }, cancellationToken);
        return credential.IntentGeneration;
    }
}
