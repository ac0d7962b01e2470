using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Domain.Webhooks;

/// <summary>
/// Makes Telegram hold the operator's last recorded intent for a credential. Every call that changes a webhook at
/// Telegram (an operator's set, delete or deactivation, a sweep's repair) is followed by <see cref="SettleAsync"/>:
/// if no later intent was recorded meanwhile, Telegram holds the call's intent and it is marked applied; otherwise
/// the call may have landed after the later one's, so the current intent is applied again and checked again.
/// There is no round limit: a settler that stopped after a call of its own could leave that call as the last one to
/// reach Telegram while the intent's own call had already marked it applied, and nothing would look unsettled. Every
/// round after the first needs a later intent, recorded by another call, so the loop ends once calls on the bot stop.
/// </summary>
internal sealed partial class WebhookSettler(IDbContextFactory<WebhookDbContext> databases, ITelegramGateway telegram, ILogger<WebhookSettler> logger)
{
    /// <summary>
    /// Called after a Telegram call made for intent <paramref name="generation"/> of the credential. True when Telegram
    /// is known to hold the current intent; false leaves it to the next sweep (a Telegram failure, or the credential gone).
    /// </summary>
    /// <param name="credentialId">The credential the call was made for.</param>
    /// <param name="generation">The intent the call carried out.</param>
    /// <param name="ourUrl">A webhook URL of this service for the bot, besides the stored one: the only URLs a removal deletes.</param>
    /// <param name="cancellationToken">Cancels settling.</param>
    public async Task<bool> SettleAsync(Guid credentialId, long generation, string? ourUrl, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var current = await db.Credentials.AsNoTracking().SingleOrDefaultAsync(c => c.Id == credentialId, cancellationToken);
            if (current is null)
            {
                return false;
            }
            if (!current.IsActive && await ActiveHolderAsync(db, current, cancellationToken) is { } holder)
            {
                // The Telegram bot now belongs to another credential: its intent is the one Telegram must hold.
                await TryMarkAppliedAsync(db, current.Id, current.IntentGeneration, cancellationToken);
                (credentialId, generation, current) = (holder.Id, -1, holder);
            }
            else if (current.IntentGeneration == generation && await TryMarkAppliedAsync(db, credentialId, generation, cancellationToken))
            {
                return true;
            }
            else if (current.IntentGeneration == generation)
            {
                continue;
            }
            try
            {
                await ApplyAsync(current, ourUrl, cancellationToken);
            }
            catch (TelegramApiException e)
            {
                LogSettleFailed(logger, current.BotId, SnakeCase.Of(FailureClasses.Of(e.Failure)));
                return false;
            }
            LogReapplied(logger, current.BotId, current.IntentGeneration);
            generation = current.IntentGeneration;
        }
    }

    /// <summary>
    /// Deletes the webhook if Telegram holds one of this service's URLs for the bot (never anyone else's), unless the
    /// credential is inactive and another active credential now holds its Telegram bot.
    /// </summary>
    public async Task<RemovalResult> RemoveIfOursAsync(BotPlatformCredential credential, string? ourUrl, CancellationToken cancellationToken)
    {
        if (credential.WellFormedToken() is not { } token)
        {
            return RemovalResult.NothingToRemove;
        }
        if (!credential.IsActive)
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            if (await ActiveHolderAsync(db, credential, cancellationToken) is not null)
            {
                return RemovalResult.HeldByAnotherCredential;
            }
        }
        var info = await telegram.GetWebhookInfoAsync(token, cancellationToken);
        if (info.Url.Length == 0 || (info.Url != ourUrl && info.Url != credential.WebhookUrl))
        {
            return RemovalResult.NothingToRemove;
        }
        await telegram.DeleteWebhookAsync(token, dropPendingUpdates: false, cancellationToken);
        return RemovalResult.Removed;
    }

    /// <summary>Whether the credential's intent is a webhook at Telegram (else: none of ours).</summary>
    public static bool WantsWebhook(BotPlatformCredential c) => c.IsActive && c.WebhookEnabled && c.WebhookUrl is not null && c.WebhookSecret is not null;

    private async Task ApplyAsync(BotPlatformCredential current, string? ourUrl, CancellationToken cancellationToken)
    {
        if (current.WellFormedToken() is not { } token)
        {
            return;
        }
        if (WantsWebhook(current))
        {
            // The stored config as the operator last gave it; a re-apply never drops pending updates.
            await telegram.SetWebhookAsync(token, new WebhookRegistration(current.WebhookUrl!, current.WebhookSecret!,
                current.WebhookMaxConnections, current.WebhookAllowedUpdates, DropPendingUpdates: false), cancellationToken);
            return;
        }
        await RemoveIfOursAsync(current, ourUrl, cancellationToken);
    }

    private static Task<BotPlatformCredential?> ActiveHolderAsync(WebhookDbContext db, BotPlatformCredential credential, CancellationToken cancellationToken) =>
        credential.TelegramBotId is not { } telegramBotId
            ? Task.FromResult<BotPlatformCredential?>(null)
            : db.Credentials.AsNoTracking().ActiveTelegram()
                .FirstOrDefaultAsync(c => c.TelegramBotId == telegramBotId && c.Id != credential.Id, cancellationToken);

    /// <summary>
    /// Marks the generation applied if it is still the current intent; a settled removal forgets the URL. Marking alone
    /// keeps the concurrency stamp, so an operator's next save of the row does not have to retry; forgetting the URL
    /// renews it. Otherwise a set that read the row before this update would save its URL as unchanged (EF writes only
    /// the columns it sees changed) and leave an enabled intent without a URL, which every re-apply reads as a removal.
    /// </summary>
    private static async Task<bool> TryMarkAppliedAsync(WebhookDbContext db, Guid credentialId, long generation, CancellationToken cancellationToken)
    {
        var renewed = Guid.NewGuid();
        return await db.Credentials
            .Where(c => c.Id == credentialId && c.IntentGeneration == generation)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.AppliedGeneration, generation)
                .SetProperty(c => c.WebhookUrl, c => c.IsActive && c.WebhookEnabled ? c.WebhookUrl : null)
                .SetProperty(c => c.ConcurrencyStamp, c => c.WebhookUrl != null && !(c.IsActive && c.WebhookEnabled) ? renewed : c.ConcurrencyStamp), cancellationToken) == 1;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A later call changed bot {BotId} while its webhook call was in flight; applied the current intent (generation {Generation}) again")]
    private static partial void LogReapplied(ILogger logger, Guid botId, long generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applying the current webhook intent of bot {BotId} failed ({FailureClass}); the next sweep settles it")]
    private static partial void LogSettleFailed(ILogger logger, Guid botId, string failureClass);
}

/// <summary>What <see cref="WebhookSettler.RemoveIfOursAsync"/> did.</summary>
internal enum RemovalResult
{
    /// <summary>Telegram held one of this service's URLs; it was deleted (pending updates kept).</summary>
    Removed,

    /// <summary>Telegram held no webhook, or someone else's: nothing was touched.</summary>
    NothingToRemove,

    /// <summary>The credential is inactive and another active credential holds its Telegram bot: left to that one.</summary>
    HeldByAnotherCredential,
}
