using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Urls;

namespace WebhookFunctions.Domain.Checking;

/// <summary>
/// Decides, check by check, whether another holder of a bot's token keeps moving its webhook away after the checker's
/// repairs, and how the checker backs off from such a contested bot. Pure: every input is an argument.
/// </summary>
internal static class ContestPolicy
{
    /// <summary>True when the bot is contested and still waiting out its backoff: no Telegram call this sweep.</summary>
    public static bool InBackoff(ContestState state) => state.Contested && state.SkipSweeps > 0;

    /// <summary>
    /// What this check means for the contest, given the URL Telegram holds now. "Moved" is a URL that is neither the
    /// one the checker last set (stored) nor the one it would set now: someone else set or deleted it.
    /// </summary>
    public static ContestStep Step(BotPlatformCredential stored, string telegramUrl, string expectedUrl, DateTime now, CheckerOptions options)
    {
        var state = ContestState.Of(stored);
        var ours = string.Equals(telegramUrl, expectedUrl, StringComparison.Ordinal);
        var moved = !ours && !string.Equals(telegramUrl, stored.WebhookUrl ?? "", StringComparison.Ordinal);
        if (!state.Contested)
        {
            if (state.WatchSweeps is not { } watched)
            {
                return new(ContestStepKind.Normal, state);
            }
            // Watches end after ContestedAfterSweeps checks, so a move seen while watching is within the window.
            return moved
                ? Rival(state, telegramUrl, 1, now)
                : new(ContestStepKind.Normal, state with { WatchSweeps = watched + 1 >= options.ContestedAfterSweeps ? null : watched + 1 });
        }
        if (state.WatchSweeps is not { } probation)
        {
            // A probe after the backoff: ours again means the rival stopped; otherwise set it once and watch.
            return ours
                ? new(ContestStepKind.Ended, ContestState.None)
                : new(ContestStepKind.Probe, state with { WatchSweeps = 0 });
        }
        if (moved)
        {
            return Rival(state, telegramUrl, Math.Min(state.BackoffSweeps * 2, options.ContestedMaxBackoffSweeps), now);
        }
        return probation + 1 >= options.ContestedAfterSweeps
            ? new(ContestStepKind.Ended, ContestState.None)
            : new(ContestStepKind.Watching, state with { WatchSweeps = probation + 1 });
    }

    private static ContestStep Rival(ContestState state, string telegramUrl, int backoff, DateTime now)
    {
        var host = WebhookOrigins.Of(telegramUrl);
        var reason = telegramUrl.Length == 0 ? ContestReason.RivalDeleted : ContestReason.RivalUrl;
        return new(ContestStepKind.Rival, new ContestState(state.Since ?? now, host, Math.Max(backoff, 1), Math.Max(backoff, 1), null), reason);
    }
}

/// <summary>A bot's contest columns, as one value the checker computes and writes back.</summary>
internal readonly record struct ContestState(DateTime? Since, string? RivalHost, int BackoffSweeps, int SkipSweeps, int? WatchSweeps)
{
    public static ContestState None => default;

    public bool Contested => Since is not null;

    public static ContestState Of(BotPlatformCredential credential) => new(
        credential.ContestedAt, credential.ContestedHost, credential.ContestBackoffSweeps, credential.ContestSkipSweeps, credential.RepairWatchSweeps);

    /// <summary>One sweep of the backoff waited out.</summary>
    public ContestState SkipOne() => this with { SkipSweeps = SkipSweeps - 1 };
}

/// <summary>What <see cref="ContestPolicy.Step"/> found, the state to record, and for a rival's move the reason.</summary>
internal readonly record struct ContestStep(ContestStepKind Kind, ContestState State, ContestReason? Reason = null);

/// <summary>What the checker does with a bot, as far as a contest goes.</summary>
internal enum ContestStepKind
{
    /// <summary>Not contested: the refresh policy decides (a set it makes starts a watch).</summary>
    Normal,

    /// <summary>Someone moved the webhook after the checker's repair: contested, no set, back off.</summary>
    Rival,

    /// <summary>Contested and the backoff is over, the webhook is not ours: set it once and watch.</summary>
    Probe,

    /// <summary>Contested, set at the last probe and still ours: keep watching, no set.</summary>
    Watching,

    /// <summary>The rival has stopped: back to normal, and the refresh policy decides.</summary>
    Ended,
}

/// <summary>Why a contested bot's check went as it did: stored in last_check_reason and reported per bot as its snake_case name.</summary>
internal enum ContestReason
{
    /// <summary>Another client set a URL that is not ours after the checker's repair.</summary>
    RivalUrl,

    /// <summary>Another client deleted the webhook after the checker's repair.</summary>
    RivalDeleted,

    /// <summary>Waiting out the backoff: Telegram was not asked.</summary>
    ContestBackoff,

    /// <summary>The backoff was over: the webhook was set once to see whether the rival has stopped.</summary>
    ContestProbe,

    /// <summary>Set at the last probe and still ours: watching for the rival.</summary>
    ContestWatch,

    /// <summary>The rival stopped: the bot is back to normal.</summary>
    ContestEnded,
}
