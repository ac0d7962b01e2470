using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Tests.Checking;

// Each step of the contest policy. Pure: no database, no HTTP.
public sealed class ContestPolicyTests
{
    private const string Ours = "https://hooks.example.test/v1/api/webhooks/telegram/bot";
    private const string OldTunnel = "https://old-box.ngrok-free.app/v1/api/webhooks/telegram/bot";
    private const string Rival = "https://rival.example.org/SECRETpath";
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);
    private static readonly CheckerOptions Options = new() { ContestedAfterSweeps = 2, ContestedMaxBackoffSweeps = 12 };

    private static BotPlatformCredential Stored(string url = Ours, int? watch = null, DateTime? contestedAt = null, int backoff = 0, int skip = 0) => new()
    {
        WebhookEnabled = true,
        WebhookUrl = url,
        RepairWatchSweeps = watch,
        ContestedAt = contestedAt,
        ContestBackoffSweeps = backoff,
        ContestSkipSweeps = skip,
    };

    private static ContestStep Step(BotPlatformCredential stored, string telegramUrl) => ContestPolicy.Step(stored, telegramUrl, Ours, Now, Options);

    [Fact]
    public void Our_own_old_url_while_watching_is_not_a_rival()
    {
        // The tunnel restarted with a new URL: Telegram still holds the one the checker set.
        var step = ContestPolicy.Step(Stored(OldTunnel, watch: 0), OldTunnel, Ours, Now, Options);

        Assert.Equal(ContestStepKind.Normal, step.Kind);
        Assert.Equal(1, step.State.WatchSweeps);
    }

    [Fact]
    public void Another_url_while_watching_is_a_rival_named_by_origin_with_a_backoff_of_one()
    {
        var step = Step(Stored(watch: 1), Rival);

        Assert.Equal((ContestStepKind.Rival, ContestReason.RivalUrl), (step.Kind, step.Reason));
        Assert.Equal(new ContestState(Now, "https://rival.example.org", 1, 1, null), step.State);
    }

    [Fact]
    public void An_emptied_webhook_while_watching_is_a_rival_without_a_host()
    {
        var step = Step(Stored(watch: 0), "");

        Assert.Equal((ContestStepKind.Rival, ContestReason.RivalDeleted, null), (step.Kind, step.Reason, step.State.RivalHost));
    }

    [Fact]
    public void A_move_without_a_watch_is_left_to_the_refresh_policy() =>
        Assert.Equal(ContestStepKind.Normal, Step(Stored(), Rival).Kind);

    [Fact]
    public void The_watch_ends_after_the_configured_number_of_checks() =>
        Assert.Null(Step(Stored(watch: 1), Ours).State.WatchSweeps);

    [Fact]
    public void Rival_again_after_a_probe_doubles_the_backoff_up_to_the_cap_and_keeps_the_first_date()
    {
        var since = Now.AddHours(-3);

        var doubled = Step(Stored(watch: 0, contestedAt: since, backoff: 4), Rival);
        var capped = Step(Stored(watch: 0, contestedAt: since, backoff: 8), Rival);

        Assert.Equal((8, 8, since), (doubled.State.BackoffSweeps, doubled.State.SkipSweeps, doubled.State.Since));
        Assert.Equal((12, 12), (capped.State.BackoffSweeps, capped.State.SkipSweeps));
    }

    [Fact]
    public void Probe_sets_when_the_webhook_is_not_ours_and_ends_the_contest_when_it_is()
    {
        var contested = Stored(contestedAt: Now.AddHours(-1), backoff: 2);

        Assert.Equal((ContestStepKind.Probe, 0), (Step(contested, Rival).Kind, Step(contested, Rival).State.WatchSweeps));
        Assert.Equal((ContestStepKind.Ended, ContestState.None), (Step(contested, Ours).Kind, Step(contested, Ours).State));
    }

    [Fact]
    public void Backoff_is_only_for_contested_bots_with_sweeps_left_to_skip()
    {
        Assert.True(ContestPolicy.InBackoff(ContestState.Of(Stored(contestedAt: Now, backoff: 1, skip: 1))));
        Assert.False(ContestPolicy.InBackoff(ContestState.Of(Stored(contestedAt: Now, backoff: 1, skip: 0))));
        Assert.False(ContestPolicy.InBackoff(ContestState.Of(Stored(skip: 3))));
    }
}
