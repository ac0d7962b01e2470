using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Tests.History;

public sealed class BotStatesTests
{
    public static TheoryData<bool, bool, CheckOutcome?> Rows()
    {
        var rows = new TheoryData<bool, bool, CheckOutcome?>();
        CheckOutcome?[] outcomes = [null, .. Enum.GetValues<CheckOutcome>().Cast<CheckOutcome?>()];
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
    public void The_sort_rank_is_the_states_place_in_the_list_least_healthy_first(bool tokenRejected, bool enabled, CheckOutcome? outcome)
    {
        var row = new BotPlatformCredential { TokenRejected = tokenRejected, WebhookEnabled = enabled, LastCheckOutcome = outcome };

        var place = BotStates.All.ToList().IndexOf(BotStates.For(row));

        Assert.Equal(place, BotStates.Rank.Compile()(row));
    }

    [Fact]
    public void A_rejected_token_wins_and_a_refresh_is_healthy()
    {
        Assert.Equal(BotState.TokenRejected, BotStates.For(new() { TokenRejected = true, LastCheckOutcome = CheckOutcome.Healthy }));
        Assert.Equal(BotState.Healthy, BotStates.For(new() { LastCheckOutcome = CheckOutcome.Refreshed }));
        Assert.Equal(BotState.Contested, BotStates.For(new() { LastCheckOutcome = CheckOutcome.Contested }));
        Assert.Equal(BotState.Disabled, BotStates.For(new() { LastCheckOutcome = CheckOutcome.Disabled }));
    }

    [Fact]
    public void Every_state_is_in_the_list_once()
    {
        Assert.Equal(Enum.GetValues<BotState>().Order(), BotStates.All.Order());
    }
}
