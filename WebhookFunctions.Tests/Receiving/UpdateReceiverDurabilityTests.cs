using Azure.Core.Pipeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Receiving;

namespace WebhookFunctions.Tests.Receiving;

// Nothing lost, nothing enqueued twice: outages, redeliveries, simultaneous deliveries and deliveries that died mid-way.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class UpdateReceiverDurabilityTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly SendGate _gate = new();
    private ReceiverHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await ReceiverHarness.StartAsync(azurite, configure: s => s.AddSingleton<HttpPipelinePolicy>(_gate));

    public async Task DisposeAsync()
    {
        _gate.Release();
        await azurite.StartAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Same_update_delivered_twice_is_enqueued_once()
    {
        _gate.Release();
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();

        var first = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(20001));
        var second = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(20001));

        Assert.Equal(ReceiveOutcome.Accepted, first.Outcome);
        Assert.Equal(ReceiveOutcome.Duplicate, second.Outcome);
        Assert.Equal(200, ReceiverApi.StatusOf(second.Outcome));
        Assert.Single(await _harness.MessagesAsync());
    }

    [Fact]
    public async Task Queue_outage_answers_unavailable_and_the_redelivery_after_it_is_enqueued_exactly_once()
    {
        _gate.Release();
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        await azurite.StopAsync();

        var during = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(20002));

        Assert.Equal(ReceiveOutcome.Unavailable, during.Outcome);
        Assert.Equal(503, ReceiverApi.StatusOf(during.Outcome));
        Assert.Empty(await _harness.ReceivedRowsAsync());
        Assert.Null((await _harness.Domain.ReloadAsync(botId)).LastUpdateReceivedAt);

        await azurite.StartAsync();
        var redelivery = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(20002));
        var again = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(20002));

        Assert.Equal(ReceiveOutcome.Accepted, redelivery.Outcome);
        Assert.Equal(ReceiveOutcome.Duplicate, again.Outcome);
        Assert.Equal(20002, QueuedUpdate.Parse(Assert.Single(await _harness.MessagesAsync()).Body).UpdateId);
    }

    [Fact]
    public async Task Two_simultaneous_deliveries_of_one_update_enqueue_one_message()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        var first = _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(20003));
        await _gate.Reached;

        var second = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(20003));
        _gate.Release();

        Assert.Equal(ReceiveOutcome.Accepted, (await first).Outcome);
        // The second cannot know yet whether the first will succeed: 503, and Telegram's next try is a duplicate.
        Assert.Equal(ReceiveOutcome.Unavailable, second.Outcome);
        Assert.Equal(ReceiveOutcome.Duplicate, (await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(20003))).Outcome);
        Assert.Single(await _harness.MessagesAsync());
    }

    [Fact]
    public async Task Update_claimed_by_a_delivery_that_died_is_enqueued_by_the_redelivery_after_the_claim_timeout()
    {
        _gate.Release();
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        await ClaimAsIfADeliveryDied(botId, 20004);

        var soon = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(20004));
        _harness.Domain.Time.Advance(ReceivedUpdateLedger.ClaimTimeout + TimeSpan.FromSeconds(1));
        var later = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(20004));

        Assert.Equal(ReceiveOutcome.Unavailable, soon.Outcome);
        Assert.Equal(ReceiveOutcome.Accepted, later.Outcome);
        Assert.Single(await _harness.MessagesAsync());
    }

    [Fact]
    public async Task A_redelivery_after_a_lost_confirm_is_enqueued_again_with_the_same_stable_id()
    {
        _gate.Release();
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(20005));
        await ForgetTheConfirmAsIfTheProcessDied(botId, 20005);
        _harness.Domain.Time.Advance(ReceivedUpdateLedger.ClaimTimeout + TimeSpan.FromSeconds(1));

        var redelivery = await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(20005));

        // At least once: the update is on the queue twice, and both copies carry the id a consumer de-duplicates on.
        Assert.Equal(ReceiveOutcome.Accepted, redelivery.Outcome);
        var ids = (await _harness.MessagesAsync()).Select(m => QueuedUpdate.Parse(m.Body).Id).ToList();
        Assert.Equal([$"{botId}:20005", $"{botId}:20005"], ids);
    }

    private async Task ForgetTheConfirmAsIfTheProcessDied(Guid botId, long updateId)
    {
        await using var db = _harness.Domain.NewDb();
        await db.ReceivedUpdates.Where(u => u.BotId == botId && u.UpdateId == updateId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.EnqueuedAt, (DateTime?)null));
    }

    private async Task ClaimAsIfADeliveryDied(Guid botId, long updateId)
    {
        await using var db = _harness.Domain.NewDb();
        db.ReceivedUpdates.Add(new ReceivedUpdate { BotId = botId, UpdateId = updateId, ReceivedAt = _harness.Domain.Time.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync();
    }
}
