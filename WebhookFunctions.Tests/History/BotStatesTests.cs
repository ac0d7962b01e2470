using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Credentials;
using WebhookFunctions.Domain.History;

namespace WebhookFunctions.Tests.History;

public sealed class BotStatesTests
{
    public static TheoryData<bool, bool, string?> Rows()
    {
        var rows = new TheoryData<bool, bool, string?>();
        string?[] outcomes = [null, CheckOutcomes.Healthy, CheckOutcomes.Refreshed, CheckOutcomes.Skipped, CheckOutcomes.Failed,
            CheckOutcomes.TokenRejected, CheckOutcomes.Deferred, CheckOutcomes.Disabled, "some_future_outcome"];
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

        Assert.Equal(BotStates.All.ToList().IndexOf(BotStates.For(row)), BotStates.Rank.Compile()(row));
    }

    [Fact]
    public void An_operators_delete_is_disabled_and_a_rejected_token_wins_over_everything()
    {
        Assert.Equal(BotStates.Disabled, BotStates.For(new() { WebhookEnabled = false, LastCheckOutcome = CheckOutcomes.Disabled }));
        Assert.Equal(BotStates.Unchecked, BotStates.For(new() { WebhookEnabled = true, LastCheckOutcome = CheckOutcomes.Disabled }));
        Assert.Equal(BotStates.TokenRejected, BotStates.For(new() { TokenRejected = true, LastCheckOutcome = CheckOutcomes.Healthy }));
    }
}
