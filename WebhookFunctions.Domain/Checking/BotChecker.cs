using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Credentials;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Domain.Urls;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.Domain.Checking;

/// <summary>Checks one bot against Telegram and repairs its webhook when <see cref="RefreshPolicy"/> says so.</summary>
public sealed partial class BotChecker(
    ITelegramGateway telegram,
    IOptions<CheckerOptions> options,
    CheckerMetrics metrics,
    TimeProvider time,
    ILogger<BotChecker> logger)
{
    private const int MaxErrorLength = 1024;

    internal async Task<BotCheckResult> CheckAsync(BotPlatformCredential bot, string baseUrl, CancellationToken cancellationToken)
    {
        var result = await TryCheckAsync(bot, baseUrl, cancellationToken);
        metrics.Checked(result.Outcome);
        return result;
    }

    private async Task<BotCheckResult> TryCheckAsync(BotPlatformCredential bot, string baseUrl, CancellationToken cancellationToken)
    {
        if (bot.WellFormedToken() is not { } token)
        {
            return Failure(bot, FailureClasses.InvalidCredential, $"The credential has no well-formed token ({BotToken.FormatRule}).");
        }
        int? pending = null;
        try
        {
            var info = await CallAsync(() => telegram.GetWebhookInfoAsync(token, cancellationToken), cancellationToken);
            pending = info.PendingUpdateCount;
            var expectedUrl = WebhookUrlResolver.Combine(baseUrl, bot.BotId);
            var now = time.GetUtcNow().UtcDateTime;
            var decision = RefreshPolicy.Decide(bot, info, expectedUrl, now, options.Value);
            if (decision.Action == RefreshAction.None)
            {
                return new BotCheckResult(bot, CheckOutcomes.Healthy, null, null, now, pending) { Seen = info };
            }
            if (decision.Action == RefreshAction.Skip)
            {
                return new BotCheckResult(bot, CheckOutcomes.Skipped, decision.Reason, null, now, pending) { Seen = info };
            }
            var secret = bot.WebhookSecret ?? WebhookSecret.Generate();
            // A repair never drops pending updates: they are the restaurant's customers' messages.
            await CallAsync(async () =>
            {
                await telegram.SetWebhookAsync(token, StoredRegistration(bot, expectedUrl, secret), cancellationToken);
                return true;
            }, cancellationToken);
            var setAt = time.GetUtcNow().UtcDateTime;
            metrics.Refreshed(decision.Reason!);
            LogRefreshed(logger, bot.BotId, decision.Reason!);
            return new BotCheckResult(bot, CheckOutcomes.Refreshed, decision.Reason, null, setAt, pending, new AppliedWebhook(expectedUrl, secret, setAt)) { Seen = info };
        }
        catch (TelegramApiException e) when (e.Failure == TelegramFailure.TokenRejected)
        {
            metrics.Failed(FailureClasses.Of(e.Failure));
            LogTokenRejected(logger, bot.BotId, e.Method);
            return new BotCheckResult(bot, CheckOutcomes.TokenRejected, FailureClasses.Of(e.Failure), Clip(e.Message), time.GetUtcNow().UtcDateTime, pending);
        }
        catch (TelegramApiException e) when (e.Failure == TelegramFailure.RateLimited)
        {
            LogDeferred(logger, bot.BotId, e.Method, e.RetryAfter ?? TimeSpan.Zero);
            return new BotCheckResult(bot, CheckOutcomes.Deferred, FailureClasses.Of(e.Failure), Clip(e.Message), time.GetUtcNow().UtcDateTime, pending);
        }
        catch (TelegramApiException e)
        {
            return Failure(bot, FailureClasses.Of(e.Failure), e.Message, pending);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Only the type: a message of an unexpected exception could hold the request URL, and so the token.
            return Failure(bot, FailureClasses.Unexpected, $"Unexpected {e.GetType().Name} while checking the webhook.", pending);
        }
    }

    /// <summary>A 429 whose retry_after fits <see cref="CheckerOptions.MaxRetryAfterWait"/> is waited out once.</summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (TelegramApiException e) when (e.Failure == TelegramFailure.RateLimited && e.RetryAfter is { } wait && wait <= options.Value.MaxRetryAfterWait)
        {
            await Task.Delay(wait, time, cancellationToken);
            return await call();
        }
    }

    private BotCheckResult Failure(BotPlatformCredential bot, string failureClass, string error, int? pending = null)
    {
        metrics.Failed(failureClass);
        LogCheckFailed(logger, bot.BotId, failureClass, error);
        return new BotCheckResult(bot, CheckOutcomes.Failed, failureClass, Clip(error), time.GetUtcNow().UtcDateTime, pending);
    }

    /// <summary>setWebhook with the stored config, never dropping pending updates.</summary>
    private static WebhookRegistration StoredRegistration(BotPlatformCredential credential, string url, string secret) =>
        new(url, secret, credential.WebhookMaxConnections, credential.WebhookAllowedUpdates, DropPendingUpdates: false);

    private static string Clip(string error) => error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];

    /// <summary>
    /// After an operator's set or delete overlapped this sweep's setWebhook, Telegram may hold the sweep's call, which
    /// landed last: apply what is stored now (the operator's choice) once more.
    /// </summary>
    internal async Task ReconcileAsync(BotPlatformCredential current, CancellationToken cancellationToken)
    {
        if (current.WellFormedToken() is not { } token)
        {
            return;
        }
        try
        {
            if (current.IsActive && current.WebhookEnabled && current.WebhookUrl is { } url && current.WebhookSecret is { } secret)
            {
                await telegram.SetWebhookAsync(token, StoredRegistration(current, url, secret), cancellationToken);
            }
            // Only an operator's delete (or deactivation) is undone at Telegram; a bot never set is left as it is.
            else if (!current.IsActive || current.LastCheckOutcome == CheckOutcomes.Disabled)
            {
                await telegram.DeleteWebhookAsync(token, dropPendingUpdates: false, cancellationToken);
            }
            LogReconciled(logger, current.BotId);
        }
        catch (TelegramApiException e)
        {
            // The next sweep sees the drift (or, for a disabled bot, the operator's next call settles it).
            LogReconcileFailed(logger, current.BotId, FailureClasses.Of(e.Failure));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refreshed the webhook of bot {BotId}: {Reason}")]
    private static partial void LogRefreshed(ILogger logger, Guid botId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram rejected the token of bot {BotId} on {Method}; the checker leaves it alone until the token is replaced")]
    private static partial void LogTokenRejected(ILogger logger, Guid botId, string method);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram rate-limited {Method} for bot {BotId} (retry after {RetryAfter}); deferred to the next sweep")]
    private static partial void LogDeferred(ILogger logger, Guid botId, string method, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check of bot {BotId} failed ({FailureClass}): {Error}")]
    private static partial void LogCheckFailed(ILogger logger, Guid botId, string failureClass, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "An operator changed bot {BotId} during its repair; applied the stored webhook state again")]
    private static partial void LogReconciled(ILogger logger, Guid botId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-applying the stored webhook state of bot {BotId} failed ({FailureClass}); the next sweep checks it again")]
    private static partial void LogReconcileFailed(ILogger logger, Guid botId, string failureClass);
}
