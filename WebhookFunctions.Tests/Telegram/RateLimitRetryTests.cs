using Microsoft.Extensions.Time.Testing;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Tests.Telegram;

// The one retry policy for Bot API calls: only a 429 that fits the budget is waited out, on the injected clock.
public sealed class RateLimitRetryTests
{
    private readonly FakeTimeProvider _time = new();
    private int _calls;

    /// <summary>A call that fails with each given failure in turn, then answers 42.</summary>
    private Func<CancellationToken, Task<int>> Failing(params TelegramApiException[] failures) => _ =>
    {
        var call = _calls++;
        return call < failures.Length ? Task.FromException<int>(failures[call]) : Task.FromResult(42);
    };

    private static TelegramApiException RateLimited(int seconds) =>
        new(TelegramFailure.RateLimited, "getWebhookInfo", $"Too Many Requests: retry after {seconds}", 429, TimeSpan.FromSeconds(seconds));

    [Fact]
    public async Task A_429_within_the_budget_is_waited_out_on_the_clock_then_called_again()
    {
        var call = new RateLimitRetry(TimeSpan.FromSeconds(5)).CallAsync(Failing(RateLimited(3)), _time, default);

        _time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(42, await call);
        Assert.Equal(2, _calls);
    }

    [Fact]
    public async Task A_429_longer_than_the_budget_goes_to_the_caller_at_once()
    {
        var call = new RateLimitRetry(TimeSpan.FromSeconds(5)).CallAsync(Failing(RateLimited(30)), _time, default);

        Assert.True(call.IsCompleted);
        var error = await Assert.ThrowsAsync<TelegramApiException>(() => call);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task A_429_again_after_the_one_retry_goes_to_the_caller()
    {
        var call = new RateLimitRetry(TimeSpan.FromSeconds(5)).CallAsync(Failing(RateLimited(1), RateLimited(1)), _time, default);
        _time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TelegramApiException>(() => call);
        Assert.Equal(2, _calls);
    }

    [Fact]
    public async Task The_waits_together_stay_within_the_total_budget()
    {
        var call = new RateLimitRetry(TimeSpan.FromSeconds(5), MaxRetries: 3).CallAsync(Failing(RateLimited(2), RateLimited(2), RateLimited(2)), _time, default);
        _time.Advance(TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(2));

        // 2 + 2 s waited; a third 2 s wait would pass the 5 s budget.
        await Assert.ThrowsAsync<TelegramApiException>(() => call);
        Assert.Equal(3, _calls);
    }

    [Theory]
    [InlineData(TelegramFailure.TokenRejected, 401)]
    [InlineData(TelegramFailure.BadRequest, 400)]
    [InlineData(TelegramFailure.Unavailable, 502)]
    [InlineData(TelegramFailure.Timeout, null)]
    [InlineData(TelegramFailure.Network, null)]
    public async Task Other_failures_are_never_retried(Enum failure, int? code)
    {
        var call = new RateLimitRetry(TimeSpan.FromSeconds(60), MaxRetries: 5)
            .CallAsync(Failing(new TelegramApiException((TelegramFailure)failure, "setWebhook", "failed", code, TimeSpan.FromSeconds(1))), _time, default);

        Assert.Equal(failure, (await Assert.ThrowsAsync<TelegramApiException>(() => call)).Failure);
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task None_never_waits()
    {
        await Assert.ThrowsAsync<TelegramApiException>(() => RateLimitRetry.None.CallAsync(Failing(RateLimited(1)), _time, default));

        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task Cancelling_during_the_wait_ends_the_call_without_calling_again()
    {
        using var cancel = new CancellationTokenSource();
        var call = new RateLimitRetry(TimeSpan.FromSeconds(5)).CallAsync(Failing(RateLimited(3)), _time, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, _calls);
    }
}
