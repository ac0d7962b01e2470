using System.Net;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Receiving;

namespace WebhookFunctions.Tests.Receiving;

// The optional allowlist of Telegram's source ranges, through the receiver.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class UpdateReceiverSourceTests(AzuriteFixture azurite)
{
    private static readonly IPAddress Telegram = IPAddress.Parse("149.154.167.50");
    private static readonly IPAddress Elsewhere = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Proxy = IPAddress.Parse("10.0.0.5");

    private Task<ReceiverHarness> StartAsync(bool allowlist) => ReceiverHarness.StartAsync(azurite, new()
    {
        ["UpdateQueue:AllowTelegramSourceRangesOnly"] = allowlist.ToString(),
        ["UpdateQueue:TrustedProxies:0"] = "10.0.0.0/24",
    });

    [Fact]
    public async Task Allowlist_off_accepts_any_source()
    {
        await using var harness = await StartAsync(allowlist: false);
        var (botId, secret) = await harness.AddBotWithWebhookAsync();

        var result = await harness.DeliverAsync(botId, secret, ReceiverHarness.Update(1), from: Elsewhere);

        Assert.Equal(ReceiveOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public async Task Allowlist_on_refuses_a_source_outside_telegrams_ranges_before_anything_else()
    {
        await using var harness = await StartAsync(allowlist: true);
        var (botId, secret) = await harness.AddBotWithWebhookAsync();

        var result = await harness.DeliverAsync(botId, secret, ReceiverHarness.Update(1), from: Elsewhere);

        Assert.Equal(ReceiveOutcome.Forbidden, result.Outcome);
        Assert.Equal(403, ReceiverApi.StatusOf(result.Outcome));
        Assert.Empty(await harness.MessagesAsync());
        Assert.Empty(await harness.ReceivedRowsAsync());
    }

    [Fact]
    public async Task Allowlist_on_accepts_telegrams_ranges()
    {
        await using var harness = await StartAsync(allowlist: true);
        var (botId, secret) = await harness.AddBotWithWebhookAsync();

        var result = await harness.DeliverAsync(botId, secret, ReceiverHarness.Update(1), from: Telegram);

        Assert.Equal(ReceiveOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public async Task Allowlist_on_believes_forwarded_for_from_a_configured_proxy()
    {
        await using var harness = await StartAsync(allowlist: true);
        var (botId, secret) = await harness.AddBotWithWebhookAsync();

        var result = await harness.DeliverAsync(botId, secret, ReceiverHarness.Update(1), from: Proxy, forwardedFor: Telegram.ToString());

        Assert.Equal(ReceiveOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public async Task Allowlist_on_ignores_forwarded_for_from_anyone_else()
    {
        await using var harness = await StartAsync(allowlist: true);
        var (botId, secret) = await harness.AddBotWithWebhookAsync();

        var result = await harness.DeliverAsync(botId, secret, ReceiverHarness.Update(1), from: Elsewhere, forwardedFor: Telegram.ToString());

        Assert.Equal(ReceiveOutcome.Forbidden, result.Outcome);
    }
}
