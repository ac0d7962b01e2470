using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Credentials;
using WebhookFunctions.Domain.Receiving;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.Tests.Receiving;

// The receiver reuses a bot's credential for Receiver:CredentialCacheDuration; a change made here is seen at once,
// a change made by another replica within that bound.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class ReceiverCredentialCacheTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ReceiverHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ReceiverHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Deactivated_credential_is_refused_at_once_by_the_replica_that_deactivated_it()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        Assert.Equal(ReceiveOutcome.Accepted, (await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(1))).Outcome);

        await _harness.Domain.InScopeAsync(sp => sp.GetRequiredService<CredentialService>().DeactivateAsync(botId, default));

        Assert.Equal(ReceiveOutcome.NotFound, (await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(2))).Outcome);
    }

    [Fact]
    public async Task Rotated_secret_replaces_the_old_one_at_once()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        Assert.Equal(ReceiveOutcome.Accepted, (await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(1))).Outcome);

        const string rotated = "rotated-secret-0123456789";
        await _harness.Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookService>().SetWebhookAsync(botId, new WebhookConfig { SecretToken = rotated }, default));

        Assert.Equal(ReceiveOutcome.Unauthorized, (await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(2))).Outcome);
        Assert.Equal(ReceiveOutcome.Accepted, (await _harness.DeliverAsync(botId, rotated, ReceiverHarness.Update(3))).Outcome);
    }

    [Fact]
    public async Task Another_replica_refuses_a_deleted_webhook_once_the_cache_duration_has_passed()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();
        await using var replica = await _harness.Domain.StartReplicaAsync();
        var other = replica.Services.GetRequiredService<UpdateReceiver>();
        Assert.Equal(ReceiveOutcome.Accepted, (await DeliverAsync(other, botId, secret, 1)).Outcome);

        await _harness.Domain.InScopeAsync(sp => sp.GetRequiredService<WebhookService>().DeleteWebhookAsync(botId, dropPendingUpdates: false, default));

        Assert.Equal(ReceiveOutcome.NotFound, (await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(2))).Outcome);
        // The bound: the other replica still holds what it read, for at most Receiver:CredentialCacheDuration (5 s).
        Assert.Equal(ReceiveOutcome.Accepted, (await DeliverAsync(other, botId, secret, 3)).Outcome);
        _harness.Domain.Time.Advance(new ReceiverOptions().CredentialCacheDuration);
        Assert.Equal(ReceiveOutcome.NotFound, (await DeliverAsync(other, botId, secret, 4)).Outcome);
    }

    private static async Task<ReceiveResult> DeliverAsync(UpdateReceiver receiver, Guid botId, string secret, long updateId)
    {
        using var body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ReceiverHarness.Update(updateId)));
        return await receiver.ReceiveAsync(new UpdateDelivery(botId.ToString(), secret, body, body.Length, System.Net.IPAddress.Loopback, null), default);
    }
}
