using System.Text;
using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Receiving;

namespace WebhookFunctions.Tests.Receiving;

// Every refused delivery leaves the queue empty and records nothing.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class UpdateReceiverRejectionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ReceiverHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ReceiverHarness.StartAsync(azurite, new() { ["UpdateQueue:MaxBodyBytes"] = "4096" });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Wrong_secret_is_unauthorized()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();

        var result = await _harness.DeliverAsync(botId, secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A'), ReceiverHarness.Update(1));

        await AssertRefusedAsync(result, ReceiveOutcome.Unauthorized, 401);
    }

    [Fact]
    public async Task Missing_secret_is_unauthorized()
    {
        var (botId, _) = await _harness.AddBotWithWebhookAsync();

        var result = await _harness.DeliverAsync(botId, null, ReceiverHarness.Update(1));

        await AssertRefusedAsync(result, ReceiveOutcome.Unauthorized, 401);
    }

    [Fact]
    public async Task Another_bots_secret_is_unauthorized()
    {
        var (botId, _) = await _harness.AddBotWithWebhookAsync();
        var other = await _harness.AddBotWithWebhookAsync();

        var result = await _harness.DeliverAsync(botId, other.Secret, ReceiverHarness.Update(1));

        await AssertRefusedAsync(result, ReceiveOutcome.Unauthorized, 401);
    }

    [Theory]
    [InlineData("6a1f0c4e-4a43-4b8e-9a57-1c2d3e4f5a6b")]
    [InlineData("not-a-bot-id")]
    public async Task Unknown_bot_answers_exactly_like_a_wrong_secret(string botId)
    {
        var known = await _harness.AddBotWithWebhookAsync();
        var wrongSecret = await _harness.DeliverAsync(known.BotId, "wrong", ReceiverHarness.Update(1));

        var unknown = await _harness.DeliverAsync(botId, known.Secret, Encoding.UTF8.GetBytes(ReceiverHarness.Update(1)));

        Assert.Equal(wrongSecret, unknown);
        await AssertRefusedAsync(unknown, ReceiveOutcome.Unauthorized, 401);
    }

    [Fact]
    public async Task Inactive_credential_with_its_secret_is_not_found()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync(c => c.IsActive = false);

        var result = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(1));

        await AssertRefusedAsync(result, ReceiveOutcome.NotFound, 404);
    }

    [Fact]
    public async Task Disabled_webhook_is_not_found()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync(c => c.WebhookEnabled = false);

        var result = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(1));

        await AssertRefusedAsync(result, ReceiveOutcome.NotFound, 404);
    }

    [Fact]
    public async Task Body_over_the_limit_is_too_large()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();

        var result = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(1, new string('a', 5000)));

        await AssertRefusedAsync(result, ReceiveOutcome.TooLarge, 413);
    }

    [Fact]
    public async Task Body_over_the_limit_without_a_declared_length_is_too_large()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        var body = Encoding.UTF8.GetBytes(ReceiverHarness.Update(1, new string('a', 5000)));

        var result = await _harness.DeliverAsync(botId.ToString(), secret, body, contentLength: null);

        await AssertRefusedAsync(result, ReceiveOutcome.TooLarge, 413);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"update_id\":1,")]
    [InlineData("[{\"update_id\":1}]")]
    [InlineData("{\"message\":{}}")]
    [InlineData("{\"update_id\":\"1\"}")]
    [InlineData("{\"update_id\":1.5}")]
    [InlineData("{\"update_id\":null}")]
    [InlineData("{\"update_id\":123456789012345678901234567890}")]
    public async Task Body_that_is_not_an_update_with_an_integer_update_id_is_a_bad_request(string body)
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();

        var result = await _harness.DeliverAsync(botId, secret, body);

        await AssertRefusedAsync(result, ReceiveOutcome.BadRequest, 400);
    }

    [Fact]
    public async Task Secret_is_checked_before_the_body_is_read()
    {
        var (botId, _) = await _harness.AddBotWithWebhookAsync();

        var result = await _harness.DeliverAsync(botId, "wrong", "not json");

        Assert.Equal(ReceiveOutcome.Unauthorized, result.Outcome);
    }

    private async Task AssertRefusedAsync(ReceiveResult result, ReceiveOutcome outcome, int status)
    {
        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(status, ReceiverApi.StatusOf(result.Outcome));
        Assert.Empty(await _harness.MessagesAsync());
        Assert.Empty(await _harness.ReceivedRowsAsync());
        await using var db = _harness.Domain.NewDb();
        Assert.All(await db.Credentials.Select(c => c.LastUpdateReceivedAt).ToListAsync(), t => Assert.Null(t));
    }
}
