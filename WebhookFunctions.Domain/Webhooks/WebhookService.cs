using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Credentials;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.History;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Domain.Urls;

namespace WebhookFunctions.Domain.Webhooks;

/// <summary>Sets, inspects and removes one bot's webhook on an operator's request (seed section 5, fixed).</summary>
public sealed partial class WebhookService(
    WebhookDbContext db,
    ITelegramGateway telegram,
    WebhookUrlResolver urls,
    WebhookTakeoverGuard takeover,
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
            var current = await CallTelegramAsync(credential, () => telegram.GetWebhookInfoAsync(token, cancellationToken), cancellationToken);
            if (takeover.Refuses(current.Url, url))
            {
                throw new WebhookTakeoverRefusedException(botId, WebhookOrigins.Of(current.Url));
            }
        }
        var secret = config.SecretToken ?? credential.WebhookSecret ?? WebhookSecret.Generate();
        var allowedUpdates = config.AllowedUpdates?.ToList() ?? credential.WebhookAllowedUpdates;

        await CallTelegramAsync(credential, () => telegram.SetWebhookAsync(token,
            new WebhookRegistration(url, secret, config.MaxConnections, config.AllowedUpdates, config.DropPendingUpdates), cancellationToken), cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        await db.SaveOperatorChangeAsync(credential, c =>
        {
            c.WebhookUrl = url;
            c.WebhookSecret = secret;
            c.WebhookMaxConnections = config.MaxConnections;
            // Omitted allowed_updates keeps what Telegram had, which is what was applied last.
            c.WebhookAllowedUpdates = allowedUpdates;
            c.WebhookEnabled = true;
            c.WebhookLastSetAt = now;
            c.WebhookLastChecked = now;
            c.TokenRejected = false;
            c.ConsecutiveFailures = 0;
            c.LastError = null;
            // The operator's explicit choice: a contest with another client ends here.
            c.EndContest();
            c.UpdatedAt = now;
        }, cancellationToken);
        LogWebhookSet(logger, botId, urls.Mode, config.DropPendingUpdates);
        await history.RecordAsync(HistoryEvents.WebhookSet(botId, HistoryActors.Api, url));

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
        await CallTelegramAsync(credential, () => telegram.DeleteWebhookAsync(token, dropPendingUpdates, cancellationToken), cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        await db.SaveOperatorChangeAsync(credential, c =>
        {
            c.WebhookUrl = null;
            // Disabled, so the checker does not bring it back.
            c.WebhookEnabled = false;
            c.LastCheckOutcome = CheckOutcomes.Disabled;
            c.LastCheckReason = null;
            c.EndContest();
            c.WebhookLastChecked = now;
            c.UpdatedAt = now;
        }, cancellationToken);
        LogWebhookDeleted(logger, botId, dropPendingUpdates);
        await history.RecordAsync(HistoryEvents.WebhookDeleted(botId, dropPendingUpdates));
        return true;
    }

    private async Task<WebhookStatus> GetStatusAsync(BotPlatformCredential credential, string token, CancellationToken cancellationToken)
    {
        var info = await CallTelegramAsync(credential, () => telegram.GetWebhookInfoAsync(token, cancellationToken), cancellationToken);
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

    private Task CallTelegramAsync(BotPlatformCredential credential, Func<Task> call, CancellationToken cancellationToken) =>
        CallTelegramAsync(credential, async () =>
        {
            await call();
            return true;
        }, cancellationToken);

    private async Task<T> CallTelegramAsync<T>(BotPlatformCredential credential, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (TelegramApiException e) when (e.Failure == TelegramFailure.TokenRejected)
        {
            // Remember it, so the checker leaves the bot alone until its token is replaced.
            var before = BotStates.For(credential);
            await db.SaveOperatorChangeAsync(credential, c =>
            {
                c.TokenRejected = true;
                c.LastError = e.Message;
                c.UpdatedAt = time.GetUtcNow().UtcDateTime;
            }, cancellationToken);
            LogTokenRejected(logger, credential.BotId, e.Method);
            await history.RecordAsync(HistoryEvents.StateChanged(credential.BotId, HistoryActors.Api, before, BotStates.For(credential), e.Method, e.Message));
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook set for bot {BotId} ({Mode} mode, drop_pending_updates={DropPendingUpdates})")]
    private static partial void LogWebhookSet(ILogger logger, Guid botId, WebhookMode mode, bool dropPendingUpdates);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook deleted for bot {BotId} (drop_pending_updates={DropPendingUpdates})")]
    private static partial void LogWebhookDeleted(ILogger logger, Guid botId, bool dropPendingUpdates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram rejected the token of bot {BotId} on {Method}; replace the credential")]
    private static partial void LogTokenRejected(ILogger logger, Guid botId, string method);
}
