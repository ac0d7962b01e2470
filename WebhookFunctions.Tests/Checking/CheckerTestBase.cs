namespace WebhookFunctions.Tests.Checking;

/// <summary>A fresh <see cref="CheckerHarness"/> per test.</summary>
public abstract class CheckerTestBase : IAsyncLifetime
{
    private protected CheckerHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync() => Harness = await CheckerHarness.StartAsync();

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}
