using System.Net.Http.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Api;

// The exact bytes of each problem the services' errors become: services name what went wrong in their own terms, and
// the API layer alone words it for the wire (field names, rules, routes). These bodies are the contract clients see.
public sealed class ProblemBodyTests : ApiTestBase
{
    private const string TokenRule = "must look like '<digits>:<secret>' (the bot id, a colon, then 20-100 of A-Z a-z 0-9 _ -)";

    private static string Platforms(Guid botId) => $"/v1/api/bots/{botId}/platforms";

    private static string SetUrl(Guid botId) => $"/v1/api/webhooks/telegram/{botId}/webhook/set";

    private static async Task AssertBodyAsync(HttpResponseMessage response, int status, string body)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_registration_breaking_two_rules_names_both_fields_in_order()
    {
        var botId = Guid.NewGuid();

        var response = await Client.PostAsync(Platforms(botId), Json("{\"platform\":\"slack\",\"credentials\":{\"token\":\"nope\"}}"));

        await AssertBodyAsync(response, 400,
            "{\"type\":\"https://webhookfunctions.dev/problems/validation\",\"title\":\"The request is not valid\",\"status\":400," +
            $"\"detail\":\"The request is not valid: platform: must be 'telegram'; credentials.token: {TokenRule}\"," +
            $"\"errors\":{{\"platform\":[\"must be 'telegram'\"],\"credentials.token\":[\"{TokenRule}\"]}}}}");
    }

    [Fact]
    public async Task A_registration_without_a_token_says_it_is_required()
    {
        var response = await Client.PostAsync(Platforms(Guid.NewGuid()), Json("{\"platform\":\"telegram\",\"credentials\":{}}"));

        await AssertBodyAsync(response, 400,
            "{\"type\":\"https://webhookfunctions.dev/problems/validation\",\"title\":\"The request is not valid\",\"status\":400," +
            "\"detail\":\"The request is not valid: credentials.token: is required\",\"errors\":{\"credentials.token\":[\"is required\"]}}");
    }

    [Fact]
    public async Task A_replacement_creating_a_credential_without_a_token_says_a_token_is_required()
    {
        var botId = Guid.NewGuid();

        var response = await Client.PutAsync($"{Platforms(botId)}/telegram", Json("{\"webhook_auto_refresh\":false}"));

        var rule = $"is required when bot {botId} has no active Telegram credential";
        await AssertBodyAsync(response, 400,
            "{\"type\":\"https://webhookfunctions.dev/problems/validation\",\"title\":\"The request is not valid\",\"status\":400," +
            $"\"detail\":\"The request is not valid: credentials.token: {rule}\",\"errors\":{{\"credentials.token\":[\"{rule}\"]}}}}");
    }

    [Fact]
    public async Task A_replacement_deactivating_names_the_route_that_deactivates()
    {
        var (botId, _) = await RegisterBotAsync();

        var response = await Client.PutAsync($"{Platforms(botId)}/telegram", Json("{\"is_active\":false}"));

        var rule = $"cannot be set to false here; deactivate with DELETE /v1/api/bots/{botId}/platforms/telegram, which also removes the webhook";
        await AssertBodyAsync(response, 400,
            "{\"type\":\"https://webhookfunctions.dev/problems/validation\",\"title\":\"The request is not valid\",\"status\":400," +
            $"\"detail\":\"The request is not valid: is_active: {rule}\",\"errors\":{{\"is_active\":[\"{rule}\"]}}}}");
    }

    [Fact]
    public async Task A_webhook_config_breaking_three_rules_names_each_field_in_order()
    {
        var (botId, _) = await RegisterBotAsync();

        var response = await Client.PostAsync(SetUrl(botId),
            Json("{\"allowed_updates\":[\"message\",\"telepathy\"],\"max_connections\":0,\"secret_token\":\"has space\"}"));

        const string secretRule = "must be 1-256 characters of A-Z, a-z, 0-9, _ and -";
        const string maxRule = "must be between 1 and 100";
        var typesRule = $"unknown update type(s) 'telepathy'; known: {string.Join(", ", TelegramUpdateTypes.Names)}";
        await AssertBodyAsync(response, 400,
            "{\"type\":\"https://webhookfunctions.dev/problems/validation\",\"title\":\"The request is not valid\",\"status\":400," +
            $"\"detail\":\"The request is not valid: secret_token: {secretRule}; max_connections: {maxRule}; allowed_updates: {typesRule}\"," +
            $"\"errors\":{{\"secret_token\":[\"{secretRule}\"],\"max_connections\":[\"{maxRule}\"],\"allowed_updates\":[\"{typesRule}\"]}}}}");
    }

    [Fact]
    public async Task A_repeated_update_type_is_named()
    {
        var (botId, _) = await RegisterBotAsync();

        var response = await Client.PostAsync(SetUrl(botId), Json("{\"allowed_updates\":[\"message\",\"message\"]}"));

        await AssertBodyAsync(response, 400,
            "{\"type\":\"https://webhookfunctions.dev/problems/validation\",\"title\":\"The request is not valid\",\"status\":400," +
            "\"detail\":\"The request is not valid: allowed_updates: must not repeat an update type\"," +
            "\"errors\":{\"allowed_updates\":[\"must not repeat an update type\"]}}");
    }

    [Fact]
    public async Task An_unknown_bot_is_404_naming_the_bot()
    {
        var botId = Guid.NewGuid();

        var response = await Client.GetAsync($"/v1/api/webhooks/telegram/{botId}/webhook/status");

        await AssertBodyAsync(response, 404,
            "{\"type\":\"https://webhookfunctions.dev/problems/bot-not-found\",\"title\":\"Bot not found\",\"status\":404," +
            $"\"detail\":\"Bot {botId} has no active Telegram credential.\"}}");
    }

    [Fact]
    public async Task A_stored_token_that_is_not_well_formed_says_how_to_replace_it()
    {
        var (botId, _) = await RegisterBotAsync();
        await using (var db = Host.NewDb())
        {
            var credential = await db.FindActiveTelegramAsync(botId, default);
            credential!.Credentials = "{}";
            await db.SaveChangesAsync();
        }

        var response = await Client.PostAsync(SetUrl(botId), Json("{}"));

        await AssertBodyAsync(response, 422,
            "{\"type\":\"https://webhookfunctions.dev/problems/invalid-credential\",\"title\":\"The stored credential is not usable\",\"status\":422," +
            $"\"detail\":\"The Telegram credential of bot {botId} has no well-formed token ({TokenRule}); replace it with PUT /v1/api/bots/{botId}/platforms/telegram.\"}}");
    }

    [Fact]
    public async Task A_second_active_credential_says_how_to_replace_the_first()
    {
        var (botId, _) = await RegisterBotAsync();

        var response = await Client.PostAsJsonAsync(Platforms(botId), new { platform = "telegram", credentials = new { token = TestTokens.New() } });

        await AssertBodyAsync(response, 409,
            "{\"type\":\"https://webhookfunctions.dev/problems/conflict\",\"title\":\"Conflict\",\"status\":409," +
            $"\"detail\":\"Bot {botId} already has an active Telegram credential; replace it with PUT /v1/api/bots/{botId}/platforms/telegram.\"}}");
    }

    [Fact]
    public async Task A_token_of_a_telegram_bot_held_elsewhere_names_the_holder_and_how_to_free_it()
    {
        var (holder, token) = await RegisterBotAsync();

        var response = await Client.PostAsJsonAsync(Platforms(Guid.NewGuid()), new { platform = "telegram", credentials = new { token } });

        await AssertBodyAsync(response, 409,
            "{\"type\":\"https://webhookfunctions.dev/problems/telegram-bot-taken\",\"title\":\"The Telegram bot belongs to another bot id\",\"status\":409," +
            $"\"detail\":\"This token's Telegram bot is already registered for bot {holder}; one Telegram bot can serve one bot id. " +
            $"Deactivate it there first (DELETE /v1/api/bots/{holder}/platforms/telegram), or use the token of another Telegram bot.\"," +
            $"\"held_by_bot_id\":\"{holder}\"}}");
    }
}
