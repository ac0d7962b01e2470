using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.History;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Domain.Urls;

namespace WebhookFunctions.Domain.Webhooks;

/// <summary>
/// Sets, inspects and removes one bot's webhook on an operator's request (docs/spec.md#5-webhook-management, fixed). A set or delete
/// records its intent before it calls Telegram and settles it afterwards (<see cref="WebhookSettler"/>), so calls
/// racing on one bot, in one process or across replicas, leave Telegram and the database at the last one's intent.
/// </summary>
internal sealed partial class WebhookService(
    WebhookDbContext db,
    ITelegramGateway telegram,
    WebhookUrlResolver urls,
    WebhookTakeoverGuard takeover,
    WebhookSettler settler,
    WebhookHistory history,
    TimeProvider time,
    ILogger<WebhookService> logger)
{
    public async Task<WebhookStatus> SetWebhookAsync(Guid botId, WebhookConfig? config, CancellationToken cancellationToken)
    {
        config ??= new WebhookConfig();
        WebhookConfigValidator.EnsureValid(config);
        var credential = await db.GetActiveTelegramAsync(botId, cancellationToken);
        var token = credential.RequireToken();
        var url = await urls.ResolveAsync(botId, cancellationToken);
        if (takeover.Active)
        {
            var current = await ReadWebhookInfoAsync(credential, token, cancellationToken);
            if (takeover.Refuses(current.Url, url))
            {
                throw WebhookTakeoverGuard.Refusal(botId, WebhookOrigins.Of(current.Url));
            }
        }
        var secret = config.SecretToken ?? credential.WebhookSecret ?? WebhookSecret.Generate();
        var allowedUpdates = config.AllowedUpdates?.ToList() ?? credential.WebhookAllowedUpdates;

        WebhookIntent before = null!;
        var generation = await db.RecordIntentAsync(credential, c =>
        {
            before = WebhookIntent.Of(c);
            c.WebhookUrl = url;
            c.WebhookSecret = secret;
            c.WebhookMaxConnections = config.MaxConnections;
            // Omitted allowed_updates keeps what Telegram had, which is what was applied last.
            c.WebhookAllowedUpdates = allowedUpdates;
            c.WebhookEnabled = true;
        }, time.GetUtcNow().UtcDateTime, cancellationToken);
        await CallOrUndoAsync(credential, token, generation, before, url, () => telegram.SetWebhookAsync(token,
            new WebhookRegistration(url, secret, config.MaxConnections, config.AllowedUpdates, config.DropPendingUpdates), cancellationToken), cancellationToken);
        await settler.SettleAsync(credential.Id, generation, url, cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        await db.SaveOperatorChangeAsync(credential, c =>
        {
            c.WebhookLastSetAt = now;
            c.WebhookLastChecked = now;
            c.TokenRejected = false;
            c.ConsecutiveFailures = 0;
            c.LastError = null;
            // The operator's explicit choice: a contest with another client ends here.
            c.EndContest();
        }, cancellationToken);
        LogWebhookSet(logger, botId, urls.Mode, config.DropPendingUpdates);
        await history.RecordAsync(HistoryEvents.WebhookSet(botId, HistoryActor.Api, url));

        // Read back what Telegram holds now, so a certificate or delivery error it reports at once is visible.
        return await GetStatusAsync(credential, token, cancellationToken);
    }

    public async Task<WebhookStatus> GetStatusAsync(Guid botId, CancellationToken cancellationToken)
    {
        var credential = await db.GetActiveTelegramAsync(botId, cancellationToken);
        return await GetStatusAsync(credential, credential.RequireToken(), cancellationToken);
    }

    public async Task<bool> DeleteWebhookAsync(Guid botId, bool dropPendingUpdates, CancellationToken cancellationToken)
    {
        var credential = await db.GetActiveTelegramAsync(botId, cancellationToken);
        var token = credential.RequireToken();
        var ourUrl = await urls.FindCurrentAsync(botId, cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        WebhookIntent before = null!;
        var generation = await db.RecordIntentAsync(credential, c =>
        {
            before = WebhookIntent.Of(c);
            // Disabled, so the checker does not bring it back. The URL is forgotten once Telegram is known to have none.
            c.WebhookEnabled = false;
            c.LastCheckOutcome = CheckOutcome.Disabled;
            c.LastCheckReason = null;
            c.EndContest();
            c.WebhookLastChecked = now;
        }, now, cancellationToken);
        await CallOrUndoAsync(credential, token, generation, before, ourUrl,
            () => telegram.DeleteWebhookAsync(token, dropPendingUpdates, cancellationToken), cancellationToken);
        await settler.SettleAsync(credential.Id, generation, ourUrl, cancellationToken);
        LogWebhookDeleted(logger, botId, dropPendingUpdates);
        await history.RecordAsync(HistoryEvents.WebhookDeleted(botId, dropPendingUpdates));
        return true;
    }

    private async Task<WebhookStatus> GetStatusAsync(BotPlatformCredential credential, string token, CancellationToken cancellationToken)
    {
        var info = await ReadWebhookInfoAsync(credential, token, cancellationToken);
        // A read: the expected URL is what is known now; it never creates a tunnel or starts ngrok.
        var expected = await urls.FindCurrentAsync(credential.BotId, cancellationToken);

        credential.WebhookLastChecked = time.GetUtcNow().UtcDateTime;
        credential.LastPendingUpdateCount = info.PendingUpdateCount;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A sweep recorded a newer check of the same bot; its record stands.
        }
        return WebhookStatusMapper.ToStatus(credential, info, expected);
    }

    /// <summary>getWebhookInfo; a rejected token is remembered, so the checker leaves the bot alone until it is replaced.</summary>
    private async Task<TelegramWebhookInfo> ReadWebhookInfoAsync(BotPlatformCredential credential, string token, CancellationToken cancellationToken)
    {
        try
        {
            return await telegram.GetWebhookInfoAsync(token, cancellationToken);
        }
        catch (TelegramApiException e) when (e.Failure == TelegramFailure.TokenRejected)
        {
            await MarkTokenRejectedAsync(credential, token, e, cancellationToken);
            throw;
        }
    }

    /// <summary>
    /// Makes the operator's Telegram call. When Telegram refuses it, the intent recorded for it is undone (if no later
    /// call replaced it) and left for the sweep to settle, since a timed-out call may still have been applied; if a
    /// later call did replace it, that call's intent is applied once more, as after any call that may have landed late.
    /// </summary>
    private async Task CallOrUndoAsync(BotPlatformCredential credential, string token, long generation, WebhookIntent before, string? ourUrl, Func<Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call();
        }
        catch (TelegramApiException e)
        {
            await db.Entry(credential).ReloadAsync(cancellationToken);
            var replaced = credential.IntentGeneration != generation;
            if (!replaced && credential.IsActive)
            {
                await UndoAsync(credential, token, generation, before, e, cancellationToken);
            }
            else if (e.Failure == TelegramFailure.TokenRejected && credential.IsActive)
            {
                await MarkTokenRejectedAsync(credential, token, e, cancellationToken);
            }
            if (replaced)
            {
                await settler.SettleAsync(credential.Id, generation, ourUrl, cancellationToken);
            }
            throw;
        }
    }

    private Task UndoAsync(BotPlatformCredential credential, string token, long generation, WebhookIntent before, TelegramApiException e, CancellationToken cancellationToken) =>
        SaveRefusalAsync(credential, token, e, c =>
        {
            if (c.IntentGeneration == generation)
            {
                // A new generation, so an overlapping earlier call applies the restored intent too.
                before.RestoreTo(c);
                c.IntentGeneration++;
            }
        }, cancellationToken);

    /// <summary>Remembers a rejected token, so the checker leaves the bot alone until it is replaced.</summary>
    private Task MarkTokenRejectedAsync(BotPlatformCredential credential, string token, TelegramApiException e, CancellationToken cancellationToken) =>
        SaveRefusalAsync(credential, token, e, _ => { }, cancellationToken);

    /// <summary>Saves what Telegram's refusal changes (and <paramref name="change"/>); a deactivation meanwhile stands.</summary>
    private async Task SaveRefusalAsync(BotPlatformCredential credential, string token, TelegramApiException e, Action<BotPlatformCredential> change, CancellationToken cancellationToken)
    {
        var state = BotStates.For(credential);
        try
        {
            await db.SaveOperatorChangeAsync(credential, c =>
            {
                change(c);
                RecordRejection(c, token, e);
                c.UpdatedAt = time.GetUtcNow().UtcDateTime;
            }, cancellationToken);
        }
        catch (BotNotFoundException)
        {
            return;
        }
        await RecordStateChangeAsync(credential, state, e);
    }

    /// <summary>The history's entry for a state an operator's call changed (a token Telegram rejected).</summary>
    private async Task RecordStateChangeAsync(BotPlatformCredential credential, BotState before, TelegramApiException e)
    {
        var after = BotStates.For(credential);
        if (after != before)
        {
            await history.RecordAsync(HistoryEvents.StateChanged(credential.BotId, HistoryActor.Api, before, after, e.Method, e.Message));
        }
    }

    private void RecordRejection(BotPlatformCredential c, string token, TelegramApiException e)
    {
        // Only the token that was refused: a PUT may have replaced it meanwhile.
        if (e.Failure == TelegramFailure.TokenRejected && BotToken.Read(c.Credentials) == token)
        {
            c.TokenRejected = true;
            c.LastError = e.Message;
            LogTokenRejected(logger, c.BotId, e.Method);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook set for bot {BotId} ({Mode} mode, drop_pending_updates={DropPendingUpdates})")]
    private static partial void LogWebhookSet(ILogger logger, Guid botId, WebhookMode mode, bool dropPendingUpdates);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook deleted for bot {BotId} (drop_pending_updates={DropPendingUpdates})")]
    private static partial void LogWebhookDeleted(ILogger logger, Guid botId, bool dropPendingUpdates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram rejected the token of bot {BotId} on {Method}; replace the credential")]
    private static partial void LogTokenRejected(ILogger logger, Guid botId, string method);
}
