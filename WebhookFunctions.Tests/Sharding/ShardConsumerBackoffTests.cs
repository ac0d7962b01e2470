using WebhookFunctions.Domain.Sharding;

namespace WebhookFunctions.Tests.Sharding;

// The self-host's shard consumer while the queue stays away (no Azurite on a developer's machine): it tries again
// after the poll interval, doubled after each failure in a row, never less often than once a minute.
public sealed class ShardConsumerBackoffTests
{
    [Fact]
    public void Waits_double_from_the_poll_interval_up_to_a_minute()
    {
        var waits = Enumerable.Range(1, 9).Select(failures => ShardConsumer.BackoffAfter(TimeSpan.FromSeconds(1), failures).TotalSeconds);

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], waits);
    }

    [Fact]
    public void A_poll_interval_above_a_minute_is_capped_at_a_minute_from_the_first_failure()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), ShardConsumer.BackoffAfter(TimeSpan.FromMinutes(1), 1));
        Assert.Equal(TimeSpan.FromMinutes(1), ShardConsumer.BackoffAfter(TimeSpan.FromMilliseconds(50), 1_000));
    }
}
