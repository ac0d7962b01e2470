using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.History;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Domain.Credentials;

/// <summary>Registers, replaces, lists and deactivates bots' Telegram credentials.</summary>
public sealed partial class CredentialService(WebhookDbContext db, ITelegramGateway telegram, WebhookHistory history, TimeProvider time, ILogger<CredentialService> logger)
{
    public async Task<CredentialView> RegisterAsync(Guid botId, CredentialRegistration registration, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (registration.Platform != Platforms.Telegram)
        {
            errors["platform"] = [$"must be '{Platforms.Telegram}'"];
        }
        var token = RequireWellFormedToken(registration.Credentials, errors);
        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }
        if (registration.IsActive && await db.Credentials.ActiveTelegram().AnyAsync(c => c.BotId == botId, cancellationToken))
        {
            throw AlreadyActive(botId);
        }
        var credential = NewCredential(botId, token!, registration.IsActive, registration.WebhookAutoRefresh);
        db.Credentials.Add(credential);
        await SaveNewAsync(botId, cancellationToken);
        LogRegistered(logger, botId, registration.IsActive, registration.WebhookAutoRefresh);
        await history.RecordAsync(HistoryEvents.Registered(botId));
        return CredentialView.From(credential);
    }

    /// <summary>Replaces the token or flags of the active credential, or creates one. Created tells which.</summary>
    public async Task<(CredentialView View, bool Created)> ReplaceAsync(Guid botId, CredentialUpdate update, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        string? token = null;
        if (update.Credentials is not null)
        {
            token = RequireWellFormedToken(update.Credentials, errors);
        }
        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }
        var credential = await db.FindActiveTelegramAsync(botId, cancellationToken);
        if (credential is null)
        {
            if (token is null)
            {
                throw RequestValidationException.For("credentials.token", $"is required when bot {botId} has no active Telegram credential");
            }
            var created = NewCredential(botId, token, update.IsActive ?? true, update.WebhookAutoRefresh ?? true);
            db.Credentials.Add(created);
            if (await TrySaveNewAsync(created, cancellationToken))
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
            throw RequestValidationException.For("is_active", $"cannot be set to false here; deactivate with DELETE /v1/api/bots/{botId}/platforms/telegram, which also removes the webhook");
        }
        var replacesToken = token is not null && token != BotToken.Read(credential.Credentials);
        var now = time.GetUtcNow().UtcDateTime;
        await db.SaveOperatorChangeAsync(credential, c =>
        {
            // A PUT that changes nothing writes nothing, so repeated identical PUTs never contend for the row.
            var changed = false;
            if (token is not null && token != BotToken.Read(c.Credentials))
            {
                changed = true;
                c.Credentials = BotToken.ToCredentialsJson(token);
                // A new token deserves a fresh look: the checker may touch it again, at its next sweep.
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
        }, cancellationToken);
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

    /// <summary>Deletes the webhook at Telegram first, then deactivates; a Telegram failure is reported, not fatal.</summary>
    public async Task<CredentialDeactivation> DeactivateAsync(Guid botId, CancellationToken cancellationToken)
    {
        var credential = await db.GetActiveTelegramAsync(botId, cancellationToken);
        string? webhookError = null;
        if (credential.WellFormedToken() is { } token)
        {
            try
            {
                await telegram.DeleteWebhookAsync(token, dropPendingUpdates: false, cancellationToken);
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
        var now = time.GetUtcNow().UtcDateTime;
        await db.SaveOperatorChangeAsync(credential, c =>
        {
            c.IsActive = false;
            c.WebhookEnabled = false;
            c.WebhookUrl = webhookError is null ? null : c.WebhookUrl;
            c.UpdatedAt = now;
        }, cancellationToken);
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
            // Stored before any setWebhook, so the receiver knows the secret the moment Telegram first uses it.
            WebhookSecret = Webhooks.WebhookSecret.Generate(),
            IsActive = isActive,
            WebhookAutoRefresh = autoRefresh,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private async Task SaveNewAsync(Guid botId, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            // The unique filtered index caught a concurrent registration.
            throw AlreadyActive(botId);
        }
    }

    /// <summary>Saves a new credential; false, with nothing tracked, when a unique index refused it.</summary>
    private async Task<bool> TrySaveNewAsync(BotPlatformCredential credential, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            db.Entry(credential).State = EntityState.Detached;
            return false;
        }
    }

    private static bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } or Microsoft.Data.SqlClient.SqlException { Number: 2601 or 2627 };

    private static ConflictException AlreadyActive(Guid botId) =>
        new($"Bot {botId} already has an active Telegram credential; replace it with PUT /v1/api/bots/{botId}/platforms/telegram.");

    private static string? RequireWellFormedToken(CredentialSecrets? secrets, Dictionary<string, string[]> errors)
    {
        if (secrets?.Token is not { } token)
        {
            errors["credentials.token"] = ["is required"];
            return null;
        }
        if (!BotToken.IsWellFormed(token))
        {
            errors["credentials.token"] = [BotToken.FormatRule];
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
