using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Domain.Webhooks;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Webhooks;

// The seed's webhook management (docs/spec.md#5-webhook-management) through the real Telegram.Bot client, the Bot API stand-in over HTTP and a migrated SQLite file.
public sealed class WebhookServiceTests : IAsyncLifetime
{
    private DomainHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DomainHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<T> WithService<T>(Func<WebhookService, Task<T>> action) =>
        _harness.InScopeAsync(sp => action(sp.GetRequiredService<WebhookService>()));

    [Fact]
    public async Task Set_webhook_persists_url_and_time_and_returns_status_read_back()
    {
        var bot = await _harness.AddBotAsync();

        var status = await WithService(s => s.SetWebhookAsync(bot.BotId, null, default));

        var expectedUrl = $"{DomainHarness.Domain}/v1/api/webhooks/telegram/{bot.BotId}";
        Assert.Equal(expectedUrl, status.Url);
        Assert.True(status.UrlMatches);
        var stored = await _harness.ReloadAsync(bot.BotId);
        Assert.Equal(expectedUrl, stored.WebhookUrl);
        Assert.Equal(_harness.Time.GetUtcNow().UtcDateTime, stored.WebhookLastChecked);
        Assert.Equal(_harness.Time.GetUtcNow().UtcDateTime, stored.WebhookLastSetAt);
        Assert.True(stored.WebhookEnabled);
        Assert.Single(_harness.BotApi.CallsOf("setWebhook"));
    }

    [Fact]
    public async Task Set_webhook_without_secret_generates_a_random_one_and_sends_it()
    {
        var a = await _harness.AddBotAsync();
        var b = await _harness.AddBotAsync();

        await WithService(s => s.SetWebhookAsync(a.BotId, null, default));
        await WithService(s => s.SetWebhookAsync(b.BotId, null, default));

        var secretA = (await _harness.ReloadAsync(a.BotId)).WebhookSecret;
        var secretB = (await _harness.ReloadAsync(b.BotId)).WebhookSecret;
        Assert.True(WebhookConfigValidator.IsValidSecret(secretA));
        Assert.Equal(64, secretA!.Length);
        Assert.NotEqual(secretA, secretB);
        Assert.Equal(secretA, _harness.BotApi.CallsOf("setWebhook").First().Arguments["secret_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Set_webhook_passes_the_given_config_and_stores_it()
    {
        var bot = await _harness.AddBotAsync();
        var config = new WebhookConfig
        {
            DropPendingUpdates = true,
            SecretToken = "my_secret-1",
            MaxConnections = 10,
            AllowedUpdates = ["message", "callback_query"],
        };

        var status = await WithService(s => s.SetWebhookAsync(bot.BotId, config, default));

        var call = _harness.BotApi.CallsOf("setWebhook").Single().Arguments;
        Assert.True(call["drop_pending_updates"]!.GetValue<bool>());
        Assert.Equal(10, call["max_connections"]!.GetValue<int>());
        Assert.Equal(["message", "callback_query"], status.AllowedUpdates);
        Assert.Equal(10, status.MaxConnections);
        var stored = await _harness.ReloadAsync(bot.BotId);
        Assert.Equal("my_secret-1", stored.WebhookSecret);
        Assert.Equal(10, stored.WebhookMaxConnections);
        Assert.Equal(["message", "callback_query"], stored.WebhookAllowedUpdates);
    }

    [Fact]
    public async Task Omitted_allowed_updates_are_not_sent_and_empty_list_is_sent_as_empty()
    {
        var bot = await _harness.AddBotAsync();

        await WithService(s => s.SetWebhookAsync(bot.BotId, new WebhookConfig(), default));
        Assert.Null((await _harness.ReloadAsync(bot.BotId)).WebhookAllowedUpdates);
        Assert.False(_harness.BotApi.CallsOf("setWebhook").Last().Arguments.ContainsKey("allowed_updates"));

        await WithService(s => s.SetWebhookAsync(bot.BotId, new WebhookConfig { AllowedUpdates = [] }, default));
        Assert.Equal([], (await _harness.ReloadAsync(bot.BotId)).WebhookAllowedUpdates);
        Assert.Empty(_harness.BotApi.CallsOf("setWebhook").Last().Arguments["allowed_updates"]!.AsArray());
    }

    [Fact]
    public async Task Status_returns_every_webhook_info_field_with_utc_dates_and_updates_last_checked()
    {
        var bot = await _harness.AddBotAsync();
        await WithService(s => s.SetWebhookAsync(bot.BotId, null, default));
        var state = _harness.BotApi.Bot(Token(bot));
        state.PendingUpdateCount = 7;
        state.IpAddress = "203.0.113.9";
        state.LastErrorDate = new DateTimeOffset(2026, 11, 24, 11, 30, 0, TimeSpan.Zero);
        state.LastErrorMessage = "Connection timed out";
        state.LastSynchronizationErrorDate = new DateTimeOffset(2026, 11, 24, 11, 0, 0, TimeSpan.Zero);
        _harness.Time.Advance(TimeSpan.FromMinutes(3));

        var status = await WithService(s => s.GetStatusAsync(bot.BotId, default));

        Assert.Equal(7, status.PendingUpdateCount);
        Assert.Equal("203.0.113.9", status.IpAddress);
        Assert.Equal(new DateTime(2026, 11, 24, 11, 30, 0, DateTimeKind.Utc), status.LastErrorDate);
        Assert.Equal(DateTimeKind.Utc, status.LastErrorDate!.Value.Kind);
        Assert.Equal("Connection timed out", status.LastErrorMessage);
        Assert.Equal(new DateTime(2026, 11, 24, 11, 0, 0, DateTimeKind.Utc), status.LastSynchronizationErrorDate);
        Assert.Equal(40, status.MaxConnections);
        Assert.False(status.HasCustomCertificate);
        var stored = await _harness.ReloadAsync(bot.BotId);
        Assert.Equal(_harness.Time.GetUtcNow().UtcDateTime, stored.WebhookLastChecked);
        Assert.Equal(7, stored.LastPendingUpdateCount);
    }

    [Fact]
    public async Task Delete_clears_url_and_disables_the_webhook_keeping_pending_updates_by_default()
    {
        var bot = await _harness.AddBotAsync();
        await WithService(s => s.SetWebhookAsync(bot.BotId, null, default));
        _harness.BotApi.Bot(Token(bot)).PendingUpdateCount = 5;

        var deleted = await WithService(s => s.DeleteWebhookAsync(bot.BotId, dropPendingUpdates: false, default));

        Assert.True(deleted);
        var stored = await _harness.ReloadAsync(bot.BotId);
        Assert.Null(stored.WebhookUrl);
        Assert.False(stored.WebhookEnabled);
        Assert.Equal("", _harness.BotApi.Bot(Token(bot)).Url);
        Assert.Equal(5, _harness.BotApi.Bot(Token(bot)).PendingUpdateCount);
    }

    [Fact]
    public async Task Delete_can_drop_pending_updates_when_asked()
    {
        var bot = await _harness.AddBotAsync();
        _harness.BotApi.Bot(Token(bot)).PendingUpdateCount = 5;

        await WithService(s => s.DeleteWebhookAsync(bot.BotId, dropPendingUpdates: true, default));

        Assert.Equal(0, _harness.BotApi.Bot(Token(bot)).PendingUpdateCount);
    }

    [Fact]
    public async Task Unknown_bot_is_not_found_and_names_the_bot()
    {
        var botId = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<BotNotFoundException>(() => WithService(s => s.GetStatusAsync(botId, default)));

        Assert.Contains(botId.ToString(), error.Message);
        Assert.Empty(_harness.BotApi.Calls);
    }

    [Fact]
    public async Task Inactive_credential_is_not_found()
    {
        var bot = await _harness.AddBotAsync(c => c.IsActive = false);

        await Assert.ThrowsAsync<BotNotFoundException>(() => WithService(s => s.SetWebhookAsync(bot.BotId, null, default)));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"token\":\"not-a-token\"}")]
    [InlineData("{\"token\":42}")]
    [InlineData("not json")]
    public async Task Credential_without_well_formed_token_is_an_invalid_credential(string credentials)
    {
        var bot = await _harness.AddBotAsync(c => c.Credentials = credentials);

        await Assert.ThrowsAsync<InvalidCredentialException>(() => WithService(s => s.SetWebhookAsync(bot.BotId, null, default)));
        Assert.Empty(_harness.BotApi.Calls);
    }

    [Fact]
    public async Task Invalid_config_is_rejected_before_telegram_is_called_and_nothing_is_stored()
    {
        var bot = await _harness.AddBotAsync();
        var config = new WebhookConfig { MaxConnections = 0, SecretToken = "has space", AllowedUpdates = ["message", "telepathy"] };

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => WithService(s => s.SetWebhookAsync(bot.BotId, config, default)));

        Assert.Equal([RequestInput.SecretToken, RequestInput.MaxConnections, RequestInput.AllowedUpdates], error.Rules.Select(r => r.Input));
        Assert.Empty(_harness.BotApi.Calls);
        var stored = await _harness.ReloadAsync(bot.BotId);
        Assert.Equal(bot.ConcurrencyStamp, stored.ConcurrencyStamp);
        Assert.Null(stored.WebhookUrl);
    }

    [Fact]
    public async Task Token_rejected_by_telegram_is_recorded_on_the_credential()
    {
        var bot = await _harness.AddBotAsync(knownToTelegram: false);

        var error = await Assert.ThrowsAsync<TelegramApiException>(() => WithService(s => s.SetWebhookAsync(bot.BotId, null, default)));

        Assert.Equal(TelegramFailure.TokenRejected, error.Failure);
        var stored = await _harness.ReloadAsync(bot.BotId);
        Assert.True(stored.TokenRejected);
        Assert.Null(stored.WebhookUrl);
        Assert.False(stored.WebhookEnabled);
    }

    [Fact]
    public async Task A_telegram_bad_request_passes_telegrams_description_on_and_stores_nothing()
    {
        var bot = await _harness.AddBotAsync();
        _harness.BotApi.Fail(Token(bot), "setWebhook", Fault.BadRequest("Bad Request: bad webhook: Failed to resolve host: Name or service not known"));

        var error = await Assert.ThrowsAsync<TelegramApiException>(() => WithService(s => s.SetWebhookAsync(bot.BotId, null, default)));

        Assert.Equal(TelegramFailure.BadRequest, error.Failure);
        Assert.Equal("Bad Request: bad webhook: Failed to resolve host: Name or service not known", error.Message);
        Assert.Null((await _harness.ReloadAsync(bot.BotId)).WebhookUrl);
    }

    [Fact]
    public async Task No_log_line_holds_the_token_or_the_secret()
    {
        var bot = await _harness.AddBotAsync();
        var revoked = await _harness.AddBotAsync(knownToTelegram: false);
        await WithService(s => s.SetWebhookAsync(bot.BotId, new WebhookConfig { SecretToken = "LogProbeSecret123" }, default));
        await WithService(s => s.GetStatusAsync(bot.BotId, default));
        await WithService(s => s.DeleteWebhookAsync(bot.BotId, false, default));
        await Assert.ThrowsAsync<TelegramApiException>(() => WithService(s => s.GetStatusAsync(revoked.BotId, default)));

        Assert.NotEmpty(_harness.Logs.Lines);
        Assert.DoesNotContain(Token(bot), _harness.Logs.AllText);
        Assert.DoesNotContain(Token(bot).Split(':')[1], _harness.Logs.AllText);
        Assert.DoesNotContain(Token(revoked).Split(':')[1], _harness.Logs.AllText);
        Assert.DoesNotContain("LogProbeSecret123", _harness.Logs.AllText);
    }

    private static string Token(Domain.Persistence.BotPlatformCredential bot) => Domain.Persistence.BotToken.Read(bot.Credentials)!;
}
