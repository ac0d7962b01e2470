using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Domain.Urls;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.Domain.Checking;

/// <summary>Checks one bot against Telegram and repairs its webhook when <see cref="RefreshPolicy"/> says so.</summary>
internal sealed partial class BotChecker(
    ITelegramGateway telegram,
    WebhookTakeoverGuard takeover,
    WebhookSettler settler,
    IOptions<CheckerOptions> options,
    CheckerMetrics metrics,
    TimeProvider time,
    ILogger<BotChecker> logger)
{
    private const int MaxErrorLength = 1024;

    internal async Task<BotCheckResult> CheckAsync(BotPlatformCredential bot, string baseUrl, CancellationToken cancellationToken)
    {
        var expectedUrl = WebhookUrlResolver.Combine(baseUrl, bot.BotId);
        var mutated = new StrongBox<bool>();
        var result = await TryCheckAsync(bot, expectedUrl, mutated, cancellationToken) with { Mutated = mutated.Value, ExpectedUrl = expectedUrl };
        metrics.Checked(result.Outcome);
        return result;
    }

    private async Task<BotCheckResult> TryCheckAsync(BotPlatformCredential bot, string expectedUrl, StrongBox<bool> mutated, CancellationToken cancellationToken)
    {
        if (bot.WellFormedToken() is not { } token)
        {
            return Failure(bot, FailureClass.InvalidCredential, $"The credential has no well-formed token ({BotToken.FormatRule}).");
        }
        int? pending = null;
        try
        {
            if (bot.Unsettled() && !bot.SweepSetsWebhook())
            {
                mutated.Value = true;
                return await FinishRemovalAsync(bot, expectedUrl, cancellationToken);
            }
            var contest = ContestState.Of(bot);
            if (!bot.Unsettled() && ContestPolicy.InBackoff(contest))
            {
                // Backing off from a rival: not even a getWebhookInfo until the wait is over.
                return new BotCheckResult(bot, CheckOutcome.Contested, SnakeCase.Of(ContestReason.ContestBackoff), null, time.GetUtcNow().UtcDateTime, Contest: contest.SkipOne());
            }
            var info = await CallAsync(() => telegram.GetWebhookInfoAsync(token, cancellationToken), cancellationToken);
            pending = info.PendingUpdateCount;
            var now = time.GetUtcNow().UtcDateTime;
            if (takeover.Refuses(info.Url, expectedUrl))
            {
                return new BotCheckResult(bot, CheckOutcome.Skipped, SnakeCase.Of(RefreshReason.ForeignDomain), null, now, pending);
            }
            if (bot.Unsettled())
            {
                // An unsettled operator call's secret can't be read back from Telegram: apply the stored config whatever the URL says.
                return await RepairAsync(bot, token, expectedUrl, CheckOutcome.Refreshed, SnakeCase.Of(RefreshReason.OperatorCallUnsettled), pending, contest with { WatchSweeps = 0 }, mutated, cancellationToken) with { Seen = info };
            }
            var step = ContestPolicy.Step(bot, info.Url, expectedUrl, now, options.Value);
            switch (step.Kind)
            {
                case ContestStepKind.Rival:
                    ReportRival(bot, step);
                    return new BotCheckResult(bot, CheckOutcome.Contested, SnakeCase.Of(step.Reason!.Value), null, now, pending, Contest: step.State);
                case ContestStepKind.Watching:
                    return new BotCheckResult(bot, CheckOutcome.Contested, SnakeCase.Of(ContestReason.ContestWatch), null, now, pending, Contest: step.State);
                case ContestStepKind.Probe:
                    return await RepairAsync(bot, token, expectedUrl, CheckOutcome.Contested, SnakeCase.Of(ContestReason.ContestProbe), pending, step.State, mutated, cancellationToken);
                case ContestStepKind.Ended:
                    LogContestEnded(logger, bot.BotId);
                    break;
            }
            var decision = RefreshPolicy.Decide(bot, info, expectedUrl, now, options.Value);
            if (decision.Action == RefreshAction.None)
            {
                var reason = step.Kind == ContestStepKind.Ended ? SnakeCase.Of(ContestReason.ContestEnded) : null;
                return new BotCheckResult(bot, CheckOutcome.Healthy, reason, null, now, pending, Contest: step.State) { Seen = info };
            }
            if (decision.Action == RefreshAction.Skip)
            {
                return new BotCheckResult(bot, CheckOutcome.Skipped, SnakeCase.Of(decision.Reason!.Value), null, now, pending, Contest: step.State) { Seen = info };
            }
            // Every set of the checker's own starts a watch: a move within Checker:ContestedAfterSweeps is a rival.
            return await RepairAsync(bot, token, expectedUrl, CheckOutcome.Refreshed, SnakeCase.Of(decision.Reason!.Value), pending, step.State with { WatchSweeps = 0 }, mutated, cancellationToken) with { Seen = info };
        }
        catch (TelegramApiException e) when (e.Failure == TelegramFailure.TokenRejected)
        {
            metrics.Failed(FailureClasses.Of(e.Failure));
            LogTokenRejected(logger, bot.BotId, e.Method);
            return new BotCheckResult(bot, CheckOutcome.TokenRejected, SnakeCase.Of(FailureClasses.Of(e.Failure)), Clip(e.Message), time.GetUtcNow().UtcDateTime, pending);
        }
        catch (TelegramApiException e) when (e.Failure == TelegramFailure.RateLimited)
        {
            LogDeferred(logger, bot.BotId, e.Method, e.RetryAfter ?? TimeSpan.Zero);
            return new BotCheckResult(bot, CheckOutcome.Deferred, SnakeCase.Of(FailureClasses.Of(e.Failure)), Clip(e.Message), time.GetUtcNow().UtcDateTime, pending);
        }
        catch (TelegramApiException e)
        {
            return Failure(bot, FailureClasses.Of(e.Failure), e.Message, pending);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Only the type: a message of an unexpected exception could hold the request URL, and so the token.
            return Failure(bot, FailureClass.Unexpected, $"Unexpected {e.GetType().Name} while checking the webhook.", pending);
        }
    }

    /// <summary>
    /// A check that was not recorded because an operator changed the bot meanwhile, and that called setWebhook or
    /// deleteWebhook: that call may have landed after the operator's, so the operator's intent is applied again.
    /// </summary>
    internal async Task SettleSupersededAsync(IEnumerable<(BotCheckResult Result, bool Recorded)> recorded, CancellationToken cancellationToken)
    {
        foreach (var (result, _) in recorded.Where(r => !r.Recorded && r.Result.Mutated))
        {
            await settler.SettleAsync(result.Read.Id, result.Read.IntentGeneration, result.ExpectedUrl, cancellationToken);
        }
    }

    /// <summary>setWebhook with our URL and the stored config; a repair never drops pending updates (customers' messages).</summary>
    private async Task<BotCheckResult> RepairAsync(BotPlatformCredential bot, string token, string expectedUrl, CheckOutcome outcome, string reason, int? pending, ContestState contest, StrongBox<bool> mutated, CancellationToken cancellationToken)
    {
        var secret = bot.WebhookSecret ?? WebhookSecret.Generate();
        mutated.Value = true;
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
        metrics.Contested(step.Reason!.Value);
        if (step.Reason == ContestReason.RivalUrl)
        {
            LogRivalMoved(logger, bot.BotId, step.State.RivalHost ?? "an unreadable URL", step.State.BackoffSweeps);
        }
        else
        {
            LogRivalDeleted(logger, bot.BotId, step.State.BackoffSweeps);
        }
    }

    /// <summary>A sweep waits out one 429 whose retry_after fits <see cref="CheckerOptions.MaxRetryAfterWait"/>; the policy is <see cref="RateLimitRetry"/>.</summary>
    private Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) =>
        new RateLimitRetry(options.Value.MaxRetryAfterWait).CallAsync(_ => call(), time, cancellationToken);

    private BotCheckResult Failure(BotPlatformCredential bot, FailureClass failureClass, string error, int? pending = null)
    {
        metrics.Failed(failureClass);
        LogCheckFailed(logger, bot.BotId, SnakeCase.Of(failureClass), error);
        return new BotCheckResult(bot, CheckOutcome.Failed, SnakeCase.Of(failureClass), Clip(error), time.GetUtcNow().UtcDateTime, pending);
    }

    /// <summary>setWebhook with the stored config, never dropping pending updates.</summary>
    private static WebhookRegistration StoredRegistration(BotPlatformCredential credential, string url, string secret) =>
        new(url, secret, credential.WebhookMaxConnections, credential.WebhookAllowedUpdates, DropPendingUpdates: false);

    private static string Clip(string error) => error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];

    /// <summary>
    /// Finishes an operator's delete or deactivation that did not settle: deletes the webhook if Telegram still holds
    /// this service's URL for the bot, never anyone else's. The outcome keeps the "disabled" mark of a deleted webhook.
    /// </summary>
    private async Task<BotCheckResult> FinishRemovalAsync(BotPlatformCredential bot, string expectedUrl, CancellationToken cancellationToken)
    {
        var removal = await settler.RemoveIfOursAsync(bot, expectedUrl, cancellationToken);
        var reason = SnakeCase.Of(removal == RemovalResult.Removed ? RefreshReason.WebhookRemoved : RefreshReason.NothingToRemove);
        var outcome = bot.IsActive && bot.LastCheckOutcome != CheckOutcome.Disabled ? CheckOutcome.Skipped : CheckOutcome.Disabled;
        if (removal == RemovalResult.Removed)
        {
            LogRemoved(logger, bot.BotId);
        }
        return new BotCheckResult(bot, outcome, reason, null, time.GetUtcNow().UtcDateTime) { Settles = true, Removed = true };
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the webhook of bot {BotId}: an operator's delete or deactivation had not settled and Telegram still held this service's URL")]
    private static partial void LogRemoved(ILogger logger, Guid botId);
}
