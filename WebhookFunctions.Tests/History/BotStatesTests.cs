using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Tests.History;

public sealed class BotStatesTests
{
    public static TheoryData<bool, bool, string?> Rows()
    {
        var rows = new TheoryData<bool, bool, string?>();
        string?[] outcomes = [null, CheckOutcomes.Healthy, CheckOutcomes.Refreshed, CheckOutcomes.Skipped, CheckOutcomes.Failed,
            CheckOutcomes.TokenRejected, CheckOutcomes.Deferred, CheckOutcomes.Disabled, CheckOutcomes.Contested, "some_future_outcome"];
        foreach (var tokenRejected in new[] { false, true })
        {
            foreach (var enabled in new[] { false, true })
            {
                foreach (var outcome in outcomes)
                {
                    rows.Add(tokenRejected, enabled, outcome);
                }
            }
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void The_sort_rank_is_the_states_place_in_the_list_least_healthy_first(bool tokenRejected, bool enabled, string? outcome)
    {
        var row = new BotPlatformCredential { TokenRejected = tokenRejected, WebhookEnabled = enabled, LastCheckOutcome = outcome };

        var place = BotStates.All.ToList().IndexOf(BotStates.For(row));

        Assert.Equal(place >= 0 ? place : BotStates.All.ToList().IndexOf(BotStates.Unchecked), BotStates.Rank.Compile()(row));
    }

    [Fact]
    public void A_rejected_token_wins_a_refresh_is_healthy_and_an_unknown_outcome_is_its_own_state()
    {
        Assert.Equal(BotStates.TokenRejected, BotStates.For(new() { TokenRejected = true, LastCheckOutcome = CheckOutcomes.Healthy }));
        Assert.Equal(BotStates.Healthy, BotStates.For(new() { LastCheckOutcome = CheckOutcomes.Refreshed }));
        Assert.Equal(BotStates.Contested, BotStates.For(new() { LastCheckOutcome = CheckOutcomes.Contested }));
        Assert.Equal(BotStates.Disabled, BotStates.For(new() { LastCheckOutcome = CheckOutcomes.Disabled }));
        Assert.Equal("some_future_outcome", BotStates.For(new() { LastCheckOutcome = "some_future_outcome" }));
    }
}
