using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.History;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.Domain.Credentials;

/// <summary>Registers, replaces, lists and deactivates bots' Telegram credentials.</summary>
internal sealed partial class CredentialService(WebhookDbContext db, ITelegramGateway telegram, WebhookSettler settler, WebhookHistory history, TimeProvider time, ILogger<CredentialService> logger)
{
    public async Task<CredentialView> RegisterAsync(Guid botId, CredentialRegistration registration, CancellationToken cancellationToken)
    {
        var broken = new List<BrokenRule>();
        if (registration.Platform != Platforms.Telegram)
        {
            broken.Add(new PlatformNotSupported());
        }
        var token = RequireWellFormedToken(registration.Credentials, broken);
        if (broken.Count > 0)
        {
            throw new InvalidInputException(broken);
        }
        if (registration.IsActive && await db.Credentials.ActiveTelegram().AnyAsync(c => c.BotId == botId, cancellationToken))
        {
            throw AlreadyActive(botId);
        }
        if (registration.IsActive)
        {
            await EnsureTelegramBotFreeAsync(botId, token!, cancellationToken);
        }
        var credential = NewCredential(botId, token!, registration.IsActive, registration.WebhookAutoRefresh);
        db.Credentials.Add(credential);
        if (!await TrySaveNewAsync(botId, credential, cancellationToken))
        {
            throw AlreadyActive(botId);
        }
        LogRegistered(logger, botId, registration.IsActive, registration.WebhookAutoRefresh);
        await history.RecordAsync(HistoryEvents.Registered(botId));
        return CredentialView.From(credential);
    }

    /// <summary>Replaces the token or flags of the active credential, or creates one. Created tells which.</summary>
    public async Task<(CredentialView View, bool Created)> ReplaceAsync(Guid botId, CredentialUpdate update, CancellationToken cancellationToken)
    {
        var broken = new List<BrokenRule>();
        string? token = null;
        if (update.Credentials is not null)
        {
            token = RequireWellFormedToken(update.Credentials, broken);
        }
        if (broken.Count > 0)
        {
            throw new InvalidInputException(broken);
        }
        var credential = await db.FindActiveTelegramAsync(botId, cancellationToken);
        if (credential is null)
        {
            if (token is null)
            {
                throw new InvalidInputException([new TokenNeededToCreate(botId)]);
            }
            await EnsureTelegramBotFreeAsync(botId, token, cancellationToken);
            var created = NewCredential(botId, token, update.IsActive ?? true, update.WebhookAutoRefresh ?? true);
            db.Credentials.Add(created);
            if (await TrySaveNewAsync(botId, created, cancellationToken))
            {
                LogRegistered(logger, botId, created.IsActive, created.WebhookAutoRefresh);
                await history.RecordAsync(HistoryEvents.Registered(botId));
                return (CredentialView.From(created), true);
            }
            // A concurrent PUT created it first: a PUT is idempotent, so this one replaces what that one stored.
            credential = await db.FindActiveTelegramAsync(botId, cancellationToken) ?? throw AlreadyActive(botId);
        }
        if (update.IsActive == false)
        {
            throw new InvalidInputException([new DeactivationByReplacement(botId)]);
        }
        var replacesToken = token is not null && token != BotToken.Read(credential.Credentials);
        if (replacesToken)
        {
            await EnsureTelegramBotFreeAsync(botId, token!, cancellationToken);
        }
        var now = time.GetUtcNow().UtcDateTime;
        await SaveTokenChangeAsync(botId, () => db.SaveOperatorChangeAsync(credential, c =>
        {
            // A PUT that changes nothing writes nothing, so repeated identical PUTs never contend for the row.
            var changed = false;
            if (token is not null && token != BotToken.Read(c.Credentials))
            {
                changed = true;
                c.Credentials = BotToken.ToCredentialsJson(token);
                c.TelegramBotId = BotToken.TelegramBotId(token);
                // Which Telegram bot should hold the webhook changed: the next sweep applies the intent with the new token.
                c.IntentGeneration++;
                // A new token deserves a fresh look: the checker may touch it again, at its next sweep, and a contest
                // fought with the old token's other holder is over.
                c.EndContest();
                c.TokenRejected = false;
                c.ConsecutiveFailures = 0;
                c.WebhookLastChecked = null;
                c.LastSweptAt = null;
            }
            if (update.WebhookAutoRefresh is { } autoRefresh && autoRefresh != c.WebhookAutoRefresh)
            {
                changed = true;
                c.WebhookAutoRefresh = autoRefresh;
            }
            if (changed)
            {
                c.UpdatedAt = now;
            }
        }, cancellationToken));
        LogReplaced(logger, botId, token is not null);
        if (replacesToken)
        {
            await history.RecordAsync(HistoryEvents.TokenReplaced(botId));
        }
        return (CredentialView.From(credential), false);
    }

    public async Task<IReadOnlyList<CredentialView>> ListAsync(Guid botId, CancellationToken cancellationToken)
    {
        var credentials = await db.Credentials.AsNoTracking()
            .Where(c => c.BotId == botId)
            .OrderByDescending(c => c.IsActive).ThenByDescending(c => c.CreatedAt)
            .ToListAsync(cancellationToken);
        return credentials.Select(CredentialView.From).ToList();
    }

    /// <summary>
    /// Deactivates, then deletes the webhook at Telegram; a Telegram failure is reported, not fatal: the deactivation
    /// stands and the next sweep deletes the webhook if Telegram still holds one of this service's URLs.
    /// </summary>
    public async Task<CredentialDeactivation> DeactivateAsync(Guid botId, CancellationToken cancellationToken)
    {
        var credential = await db.GetActiveTelegramAsync(botId, cancellationToken);
        // Recorded first, so a set racing with it ends with the webhook deleted, whichever call reaches Telegram last.
        var generation = await db.RecordIntentAsync(credential, c =>
        {
            c.IsActive = false;
            c.WebhookEnabled = false;
        }, time.GetUtcNow().UtcDateTime, cancellationToken);
        string? webhookError = null;
        if (credential.WellFormedToken() is { } token)
        {
            try
            {
                await telegram.DeleteWebhookAsync(token, dropPendingUpdates: false, cancellationToken);
                await settler.SettleAsync(credential.Id, generation, ourUrl: null, cancellationToken);
            }
            catch (TelegramApiException e)
            {
                webhookError = e.Message;
            }
        }
        else
        {
            webhookError = "The stored token is not well-formed, so the webhook could not be deleted at Telegram.";
        }
        LogDeactivated(logger, botId, webhookError is null);
        await history.RecordAsync(HistoryEvents.Deactivated(botId, webhookError));
        return new CredentialDeactivation { Deactivated = true, WebhookDeleted = webhookError is null, WebhookError = webhookError };
    }

    private BotPlatformCredential NewCredential(Guid botId, string token, bool isActive, bool autoRefresh)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new BotPlatformCredential
        {
            Id = Guid.NewGuid(),
            BotId = botId,
            Platform = Platforms.Telegram,
            Credentials = BotToken.ToCredentialsJson(token),
            TelegramBotId = BotToken.TelegramBotId(token),
            // Stored before any setWebhook, so the receiver knows the secret the moment Telegram first uses it.
            WebhookSecret = Webhooks.WebhookSecret.Generate(),
            IsActive = isActive,
            WebhookAutoRefresh = autoRefresh,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// Saves a new credential. A unique filtered index may catch a concurrent registration: of this Telegram bot under
    /// another bot id (409 naming it), or of this bot id (false, with nothing tracked: the caller decides).
    /// </summary>
    private async Task<bool> TrySaveNewAsync(Guid botId, BotPlatformCredential credential, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            var holder = await HolderOfAsync(db, botId, e, cancellationToken);
            db.Entry(credential).State = EntityState.Detached;
            if (holder is { } other && await db.FindActiveTelegramAsync(botId, cancellationToken) is null)
            {
                throw new TelegramBotTakenException(other);
            }
            return false;
        }
    }

    private async Task SaveTokenChangeAsync(Guid botId, Func<Task> save)
    {
        try
        {
            await save();
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException && IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            throw await HolderOfAsync(db, botId, e, CancellationToken.None) is { } holder ? new TelegramBotTakenException(holder) : e;
        }
    }

    /// <summary>Refuses a token whose Telegram bot another bot id's active credential holds.</summary>
    private async Task EnsureTelegramBotFreeAsync(Guid botId, string token, CancellationToken cancellationToken)
    {
        var telegramBotId = BotToken.TelegramBotId(token);
        var holder = await db.Credentials.AsNoTracking().ActiveTelegram()
            .Where(c => c.TelegramBotId == telegramBotId && c.BotId != botId)
            .Select(c => (Guid?)c.BotId)
            .FirstOrDefaultAsync(cancellationToken);
        if (holder is { } other)
        {
            throw new TelegramBotTakenException(other);
        }
    }

    /// <summary>After a unique violation: the other bot id whose active credential holds the Telegram bot of the entry that failed.</summary>
    private static async Task<Guid?> HolderOfAsync(WebhookDbContext db, Guid botId, DbUpdateException e, CancellationToken cancellationToken)
    {
        var telegramBotIds = e.Entries.Select(entry => entry.Entity).OfType<BotPlatformCredential>().Select(c => c.TelegramBotId).OfType<string>().ToList();
        return await db.Credentials.AsNoTracking().ActiveTelegram()
            .Where(c => c.TelegramBotId != null && telegramBotIds.Contains(c.TelegramBotId) && c.BotId != botId)
            .Select(c => (Guid?)c.BotId)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private static bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } or Microsoft.Data.SqlClient.SqlException { Number: 2601 or 2627 };

    private static CredentialAlreadyActiveException AlreadyActive(Guid botId) => new(botId);

    private static string? RequireWellFormedToken(CredentialSecrets? secrets, List<BrokenRule> broken)
    {
        if (secrets?.Token is not { } token)
        {
            broken.Add(new TokenMissing());
            return null;
        }
        if (!BotToken.IsWellFormed(token))
        {
            broken.Add(new TokenMalformed());
            return null;
        }
        return token;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram credential registered for bot {BotId} (active={IsActive}, auto_refresh={AutoRefresh})")]
    private static partial void LogRegistered(ILogger logger, Guid botId, bool isActive, bool autoRefresh);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram credential of bot {BotId} updated (token replaced={TokenReplaced})")]
    private static partial void LogReplaced(ILogger logger, Guid botId, bool tokenReplaced);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram credential of bot {BotId} deactivated (webhook deleted at Telegram={WebhookDeleted})")]
    private static partial void LogDeactivated(ILogger logger, Guid botId, bool webhookDeleted);
}
