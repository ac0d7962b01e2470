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
    WebhookTakeoverGuard takeover,
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
        var contest = ContestState.Of(bot);
        if (ContestPolicy.InBackoff(contest))
        {
            // Backing off from a rival: not even a getWebhookInfo until the wait is over.
            return new BotCheckResult(bot, CheckOutcomes.Contested, ContestReasons.Backoff, null, time.GetUtcNow().UtcDateTime, Contest: contest.SkipOne());
        }
        int? pending = null;
        try
        {
            var info = await CallAsync(() => telegram.GetWebhookInfoAsync(token, cancellationToken), cancellationToken);
            pending = info.PendingUpdateCount;
            var expectedUrl = WebhookUrlResolver.Combine(baseUrl, bot.BotId);
            var now = time.GetUtcNow().UtcDateTime;
            if (takeover.Refuses(info.Url, expectedUrl))
            {
                return new BotCheckResult(bot, CheckOutcomes.Skipped, RefreshReasons.ForeignDomain, null, now, pending);
            }
            var step = ContestPolicy.Step(bot, info.Url, expectedUrl, now, options.Value);
            switch (step.Kind)
            {
                case ContestStepKind.Rival:
                    ReportRival(bot, step);
                    return new BotCheckResult(bot, CheckOutcomes.Contested, step.Reason, null, now, pending, Contest: step.State);
                case ContestStepKind.Watching:
                    return new BotCheckResult(bot, CheckOutcomes.Contested, ContestReasons.Watching, null, now, pending, Contest: step.State);
                case ContestStepKind.Probe:
                    return await RepairAsync(bot, token, expectedUrl, CheckOutcomes.Contested, ContestReasons.Probe, pending, step.State, cancellationToken);
                case ContestStepKind.Ended:
                    LogContestEnded(logger, bot.BotId);
                    break;
            }
            var decision = RefreshPolicy.Decide(bot, info, expectedUrl, now, options.Value);
            if (decision.Action == RefreshAction.None)
            {
                var reason = step.Kind == ContestStepKind.Ended ? ContestReasons.Ended : null;
                return new BotCheckResult(bot, CheckOutcomes.Healthy, reason, null, now, pending, Contest: step.State) { Seen = info };
            }
            if (decision.Action == RefreshAction.Skip)
            {
                return new BotCheckResult(bot, CheckOutcomes.Skipped, decision.Reason, null, now, pending, Contest: step.State) { Seen = info };
            }
            // Every set of the checker's own starts a watch: a move within Checker:ContestedAfterSweeps is a rival.
            return await RepairAsync(bot, token, expectedUrl, CheckOutcomes.Refreshed, decision.Reason!, pending, step.State with { WatchSweeps = 0 }, cancellationToken) with { Seen = info };
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

    /// <summary>setWebhook with our URL and the stored config; a repair never drops pending updates (customers' messages).</summary>
    private async Task<BotCheckResult> RepairAsync(BotPlatformCredential bot, string token, string expectedUrl, string outcome, string reason, int? pending, ContestState contest, CancellationToken cancellationToken)
    {
        var secret = bot.WebhookSecret ?? WebhookSecret.Generate();
        await CallAsync(async () =>
        {
            await telegram.SetWebhookAsync(token, StoredRegistration(bot, expectedUrl, secret), cancellationToken);
            return true;
        }, cancellationToken);
        var setAt = time.GetUtcNow().UtcDateTime;
        metrics.Refreshed(reason);
        LogRefreshed(logger, bot.BotId, reason);
        return new BotCheckResult(bot, outcome, reason, null, setAt, pending, new AppliedWebhook(expectedUrl, secret, setAt), contest);
    }

    /// <summary>Names only the rival's scheme and host: the rest of its URL may carry a secret.</summary>
    private void ReportRival(BotPlatformCredential bot, ContestStep step)
    {
        metrics.Contested(step.Reason!);
        if (step.Reason == ContestReasons.RivalUrl)
        {
            LogRivalMoved(logger, bot.BotId, step.State.RivalHost ?? "an unreadable URL", step.State.BackoffSweeps);
        }
        else
        {
            LogRivalDeleted(logger, bot.BotId, step.State.BackoffSweeps);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {BotId} is contested: another client moved its webhook to {RivalHost} after the checker set it; the checker stops repairing it and looks again in {BackoffSweeps} sweep(s)")]
    private static partial void LogRivalMoved(ILogger logger, Guid botId, string rivalHost, int backoffSweeps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {BotId} is contested: another client deleted its webhook after the checker set it (a framework's shutdown or getUpdates polling?); the checker stops repairing it and looks again in {BackoffSweeps} sweep(s)")]
    private static partial void LogRivalDeleted(ILogger logger, Guid botId, int backoffSweeps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot {BotId} is no longer contested: its webhook stayed ours")]
    private static partial void LogContestEnded(ILogger logger, Guid botId);

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
