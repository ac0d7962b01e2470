using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Api;

/// <summary>A self-host per test class instance, its management client, and helpers to read problem bodies.</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    private protected BotApiStandIn BotApi { get; private set; } = null!;
    private protected SelfHostServer Host { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;

    protected virtual Dictionary<string, string?>? Settings => null;

    public virtual async Task InitializeAsync()
    {
        BotApi = await BotApiStandIn.StartAsync();
        Host = await SelfHostServer.StartAsync(BotApi, Settings);
        Client = Host.CreateManagementClient();
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await BotApi.DisposeAsync();
    }

    /// <summary>Registers a bot through the API with a token Telegram (the stand-in) accepts.</summary>
    protected async Task<(Guid BotId, string Token)> RegisterBotAsync(bool knownToTelegram = true, bool autoRefresh = true)
    {
        var botId = Guid.NewGuid();
        var token = TestTokens.New();
        if (knownToTelegram)
        {
            BotApi.AddBot(token);
        }
        var response = await Client.PostAsJsonAsync($"/v1/api/bots/{botId}/platforms",
            new { platform = "telegram", credentials = new { token }, is_active = true, webhook_auto_refresh = autoRefresh });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (botId, token);
    }

    protected static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        (await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync()))!.AsObject();

    /// <summary>Asserts an RFC 9457 body with this status, returning it.</summary>
    protected static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, int status, string typeSuffix)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadObjectAsync(response);
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.EndsWith("/" + typeSuffix, problem["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        return problem;
    }

    protected static string[] ErrorFields(JsonObject problem) =>
        problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal).ToArray();

    protected static StringContent Json(string raw) => new(raw, System.Text.Encoding.UTF8, "application/json");

    protected static JsonSerializerOptions Snake { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
