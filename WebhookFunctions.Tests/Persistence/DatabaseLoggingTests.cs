using WebhookFunctions.Tests.Receiving;

namespace WebhookFunctions.Tests.Persistence;

// EF's command log reaches the app's logger providers, without parameter values.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class DatabaseLoggingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ReceiverHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ReceiverHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Commands_are_logged_through_the_apps_logger_without_secrets_or_tokens()
    {
        var token = Support.TestTokens.New();
        var (botId, secret) = await _harness.AddBotWithWebhookAsync(c => c.Credentials = Domain.Persistence.BotToken.ToCredentialsJson(token));

        await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(40001));

        var commands = _harness.Domain.Logs.Lines.Where(l => l.Contains("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal)).ToList();
        Assert.Contains(commands, l => l.Contains("INSERT INTO received_update", StringComparison.Ordinal));
        Assert.Contains(commands, l => l.Contains("bot_platform_credential", StringComparison.Ordinal));
        var all = _harness.Domain.Logs.AllText;
        Assert.DoesNotContain(secret, all);
        Assert.DoesNotContain(token, all);
        Assert.DoesNotContain(token.Split(':')[1], all);
    }

    [Fact]
    public async Task A_delivery_commits_its_writes_without_savepoints()
    {
        var (botId, secret) = await _harness.AddBotWithWebhookAsync();

        await _harness.DeliverAsync(botId, secret, ReceiverHarness.Update(40002));

        var transactions = _harness.Domain.Logs.Lines.Where(l => l.Contains("Microsoft.EntityFrameworkCore.Database.Transaction", StringComparison.Ordinal)).ToList();
        Assert.Contains(transactions, l => l.Contains("Committed transaction", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(transactions, l => l.Contains("savepoint", StringComparison.OrdinalIgnoreCase));
    }
}
