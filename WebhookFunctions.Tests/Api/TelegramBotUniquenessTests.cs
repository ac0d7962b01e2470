using System.Net;
using System.Net.Http.Json;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Api;

// One Telegram bot (the digits before the token's colon) serves one bot id: otherwise every sweep would move its
// webhook between the two URLs. The 409 names the bot id that holds it, never the token.
public sealed class TelegramBotUniquenessTests : ApiTestBase
{
    private static string Platforms(Guid botId) => $"/v1/api/bots/{botId}/platforms";

    [Fact]
    public async Task Registering_a_token_whose_telegram_bot_another_bot_id_holds_is_409_naming_that_bot_id()
    {
        var (holder, token) = await RegisterBotAsync();
        var before = await Host.SnapshotAsync();

        var response = await Client.PostAsJsonAsync(Platforms(Guid.NewGuid()), new { platform = "telegram", credentials = new { token } });

        var problem = await AssertProblemAsync(response, 409, "telegram-bot-taken");
        Assert.Equal(holder, problem["held_by_bot_id"]!.GetValue<Guid>());
        Assert.Contains(holder.ToString(), problem["detail"]!.GetValue<string>());
        Assert.DoesNotContain(token.Split(':')[1], problem.ToJsonString());
        Assert.Equal(before, await Host.SnapshotAsync());
    }

    [Fact]
    public async Task Another_token_of_the_same_telegram_bot_is_refused_too()
    {
        var (holder, token) = await RegisterBotAsync();
        var reissued = token.Split(':')[0] + ":REISSUEDtokenPART" + Guid.NewGuid().ToString("N")[..12];

        var response = await Client.PostAsJsonAsync(Platforms(Guid.NewGuid()), new { platform = "telegram", credentials = new { token = reissued } });

        Assert.Equal(holder, (await AssertProblemAsync(response, 409, "telegram-bot-taken"))["held_by_bot_id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Put_with_a_token_another_bot_id_holds_is_409_and_changes_nothing()
    {
        var (holder, token) = await RegisterBotAsync();
        var (other, _) = await RegisterBotAsync();
        var before = await Host.SnapshotAsync();

        var replaced = await Client.PutAsJsonAsync(Platforms(other) + "/telegram", new { credentials = new { token } });
        var created = await Client.PutAsJsonAsync(Platforms(Guid.NewGuid()) + "/telegram", new { credentials = new { token } });

        Assert.Equal(holder, (await AssertProblemAsync(replaced, 409, "telegram-bot-taken"))["held_by_bot_id"]!.GetValue<Guid>());
        Assert.Equal(holder, (await AssertProblemAsync(created, 409, "telegram-bot-taken"))["held_by_bot_id"]!.GetValue<Guid>());
        Assert.Equal(before, await Host.SnapshotAsync());
    }

    [Fact]
    public async Task The_same_token_may_be_put_again_and_registered_elsewhere_once_deactivated()
    {
        var (first, token) = await RegisterBotAsync();

        var again = await Client.PutAsJsonAsync(Platforms(first) + "/telegram", new { credentials = new { token } });
        var deactivated = await Client.DeleteAsync(Platforms(first) + "/telegram");
        var moved = await Client.PostAsJsonAsync(Platforms(Guid.NewGuid()), new { platform = "telegram", credentials = new { token } });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.Equal(HttpStatusCode.Created, moved.StatusCode);
    }

    [Fact]
    public async Task Two_registrations_of_one_token_at_once_end_with_one_201_and_one_409()
    {
        for (var round = 0; round < 10; round++)
        {
            var token = TestTokens.New();
            var calls = new[] { Guid.NewGuid(), Guid.NewGuid() }
                .Select(botId => Client.PostAsJsonAsync(Platforms(botId), new { platform = "telegram", credentials = new { token } }));

            var statuses = (await Task.WhenAll(calls)).Select(r => (int)r.StatusCode).Order().ToArray();

            Assert.Equal([201, 409], statuses);
        }
    }
}
