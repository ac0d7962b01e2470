using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Domain.Checking;

/// <summary>What checking one bot found and did, before it is recorded.</summary>
internal sealed record BotCheckResult(
    BotPlatformCredential Read,
    CheckOutcome Outcome,
    string? Reason,
    string? Error,
    DateTime CheckedAt,
    int? PendingUpdateCount = null,
    AppliedWebhook? Applied = null,
    ContestState? Contest = null)
{
    /// <summary>A setWebhook or deleteWebhook was sent (even if it failed): it may have landed after an operator's call.</summary>
    public bool Mutated { get; init; }

    /// <summary>Telegram holds the intent read (set with the stored config, or none of ours): the read generation is applied.</summary>
    public bool Settles { get; init; }

    /// <summary>The webhook was deleted (or none of ours was there): the stored URL is forgotten.</summary>
    public bool Removed { get; init; }

    /// <summary>This service's URL for the bot in this sweep, for settling a superseded call.</summary>
    public string? ExpectedUrl { get; init; }

    /// <summary>What getWebhookInfo answered, when it did: the history records a new delivery error from it.</summary>
    public TelegramWebhookInfo? Seen { get; init; }

    /// <summary>The row as it should be after this check, computed from <paramref name="current"/> (the read, or a re-read).</summary>
    public CheckOutcomeRow ToRow(BotPlatformCredential current)
    {
        var failed = Outcome is CheckOutcome.Failed or CheckOutcome.TokenRejected;
        var changed = Applied is not null || Outcome == CheckOutcome.TokenRejected;
        return new CheckOutcomeRow(
            current.Id,
            current.ConcurrencyStamp,
            Guid.NewGuid(),
            CheckedAt,
            Outcome,
            Reason,
            Error,
            Outcome == CheckOutcome.Deferred ? current.ConsecutiveFailures : failed ? current.ConsecutiveFailures + 1 : 0,
            PendingUpdateCount ?? current.LastPendingUpdateCount,
            Removed ? null : Applied?.Url ?? current.WebhookUrl,
            Applied?.Secret ?? current.WebhookSecret,
            Applied?.SetAt ?? current.WebhookLastSetAt,
            Applied is not null || current.WebhookEnabled,
            Outcome == CheckOutcome.TokenRejected || current.TokenRejected,
            changed ? CheckedAt : current.UpdatedAt,
            // Null: this check learnt nothing about a contest (e.g. it failed), so the stored state stands.
            Contest ?? ContestState.Of(current),
            Settles || Applied is not null ? current.IntentGeneration : current.AppliedGeneration);
    }

    public BotCheckReport ToReport(bool recorded) => new(Read.BotId, Outcome, Reason, Error, recorded);
}

/// <summary>A setWebhook the checker made: what it applied, to be stored.</summary>
internal sealed record AppliedWebhook(string Url, string Secret, DateTime SetAt);

/// <summary>
/// Every column the checker writes, as absolute values: the write is conditional on <see cref="ReadStamp"/>, so
/// the row is known to be exactly what these were computed from.
/// </summary>
internal sealed record CheckOutcomeRow(
    Guid Id,
    Guid ReadStamp,
    Guid NewStamp,
    DateTime CheckedAt,
    CheckOutcome Outcome,
    string? Reason,
    string? Error,
    int ConsecutiveFailures,
    int? PendingUpdateCount,
    string? WebhookUrl,
    string? WebhookSecret,
    DateTime? WebhookLastSetAt,
    bool WebhookEnabled,
    bool TokenRejected,
    DateTime UpdatedAt,
    ContestState Contest,
    long AppliedGeneration);
