using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Telegram;

// Telegram.Bot over real HTTP against the stand-in: every failure class is told apart, none leaks the token.
public sealed class TelegramGatewayTests : IAsyncLifetime
{
    private DomainHarness _harness = null!;
    private string _token = "";

    private ITelegramGateway Gateway => _harness.Services.GetRequiredService<ITelegramGateway>();

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.StartAsync();
        _token = TestTokens.New();
        _harness.BotApi.AddBot(_token);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<TelegramApiException> FailureOf(Fault fault)
    {
        _harness.BotApi.Fail(_token, "getWebhookInfo", fault);
        var error = await Assert.ThrowsAsync<TelegramApiException>(() => Gateway.GetWebhookInfoAsync(_token, default));
        Assert.DoesNotContain(_token.Split(':')[1], error.ToString());
        Assert.Equal("getWebhookInfo", error.Method);
        return error;
    }

    [Fact]
    public async Task Unauthorized_is_token_rejected() =>
        Assert.Equal(TelegramFailure.TokenRejected, (await FailureOf(Fault.Unauthorized())).Failure);

    [Fact]
    public async Task Not_found_is_token_rejected() =>
        Assert.Equal(TelegramFailure.TokenRejected, (await FailureOf(Fault.NotFound())).Failure);

    [Fact]
    public async Task Too_many_requests_is_rate_limited_with_retry_after_and_is_not_retried_by_the_client()
    {
        var error = await FailureOf(Fault.TooManyRequests(3));

        Assert.Equal(TelegramFailure.RateLimited, error.Failure);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
        Assert.Single(_harness.BotApi.CallsOf("getWebhookInfo"));
    }

    [Fact]
    public async Task Bad_request_keeps_telegrams_description()
    {
        var error = await FailureOf(Fault.BadRequest("Bad Request: bad webhook: HTTPS url must be provided for webhook"));

        Assert.Equal(TelegramFailure.BadRequest, error.Failure);
        Assert.Equal("Bad Request: bad webhook: HTTPS url must be provided for webhook", error.Message);
        Assert.Equal(400, error.ErrorCode);
    }

    [Fact]
    public async Task Server_error_is_unavailable() =>
        Assert.Equal(TelegramFailure.Unavailable, (await FailureOf(Fault.ServerError())).Failure);

    [Fact]
    public async Task A_non_json_gateway_error_is_unavailable() =>
        Assert.Equal(TelegramFailure.Unavailable, (await FailureOf(Fault.BadGatewayHtml())).Failure);

    [Fact]
    public async Task No_answer_within_the_timeout_is_timeout() =>
        Assert.Equal(TelegramFailure.Timeout, (await FailureOf(Fault.Timeout(TimeSpan.FromSeconds(10)))).Failure);

    [Fact]
    public async Task A_refused_connection_is_network()
    {
        await _harness.BotApi.DisposeAsync();

        var error = await Assert.ThrowsAsync<TelegramApiException>(() => Gateway.GetWebhookInfoAsync(_token, default));

        Assert.Equal(TelegramFailure.Network, error.Failure);
        Assert.DoesNotContain(_token.Split(':')[1], error.ToString());
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_a_timeout()
    {
        _harness.BotApi.Fail(_token, "getWebhookInfo", Fault.Timeout(TimeSpan.FromSeconds(10)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Gateway.GetWebhookInfoAsync(_token, cancel.Token));
    }

    [Fact]
    public async Task Set_webhook_sends_every_argument_in_telegrams_names()
    {
        await Gateway.SetWebhookAsync(_token, new WebhookRegistration("https://hooks.example.test/x", "s3cret", 12, ["message", "my_chat_member"], DropPendingUpdates: true), default);

        var call = _harness.BotApi.CallsOf("setWebhook").Single().Arguments;
        Assert.Equal("https://hooks.example.test/x", call["url"]!.GetValue<string>());
        Assert.Equal("s3cret", call["secret_token"]!.GetValue<string>());
        Assert.Equal(12, call["max_connections"]!.GetValue<int>());
        Assert.Equal(["message", "my_chat_member"], call["allowed_updates"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.True(call["drop_pending_updates"]!.GetValue<bool>());
    }
}
