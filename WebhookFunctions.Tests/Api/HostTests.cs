using System.Net;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Api;

public sealed class HostTests : ApiTestBase
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/v1/api/healthz")]
    public async Task Health_is_200_when_the_database_answers(string route)
    {
        using var anonymous = Host.CreateClient();

        var response = await anonymous.GetAsync(route);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (await ReadObjectAsync(response))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_is_503_when_the_database_does_not_answer()
    {
        using var anonymous = Host.CreateClient();
        await using (var db = Host.NewDb())
        {
            await db.Database.EnsureDeletedAsync();
        }

        var response = await anonymous.GetAsync("/healthz");

        await AssertProblemAsync(response, 503, "unhealthy");
    }

    [Fact]
    public async Task OpenApi_document_lists_the_routes_in_snake_case()
    {
        using var anonymous = Host.CreateClient();

        var document = await anonymous.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/v1/api/webhooks/telegram/{botId}/webhook/set", document);
        Assert.Contains("/v1/api/bots/{botId}/platforms", document);
        Assert.Contains("pending_update_count", document);
        Assert.Contains("drop_pending_updates", document);
    }
}

// Start-up refuses a bad setting with a message that names it.
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Webhook:Domain", "http://hooks.example.test", "Webhook:Domain")]
    [InlineData("Webhook:Domain", "https://hooks.example.test/path", "Webhook:Domain")]
    [InlineData("Webhook:Mode", "Sideways", "Webhook:Mode")]
    [InlineData("Auth:ApiKeys:0", "short", "Auth:ApiKeys")]
    [InlineData("Auth:ApiKeys:0", "aaaaaaaaaaaaaaaaaaaaaaaa", "Auth:ApiKeys:0 is too weak")]
    [InlineData("Database:Provider", "SqlServer", "Database:ConnectionString")]
    [InlineData("Telegram:ApiBaseUrl", "not a url", "Telegram:ApiBaseUrl")]
    [InlineData("Telegram:Timeout", "00:10:00", "Timeout")]
    public async Task A_bad_setting_stops_start_up_naming_it(string key, string value, string named)
    {
        await using var botApi = await BotApiStandIn.StartAsync();

        var error = await Record.ExceptionAsync(async () => await (await SelfHostServer.StartAsync(botApi, new() { [key] = value })).DisposeAsync());

        Assert.NotNull(error);
        Assert.Contains(named, Flatten(error));
    }

    [Fact]
    public async Task No_api_key_outside_development_stops_start_up()
    {
        await using var botApi = await BotApiStandIn.StartAsync();

        var error = await Record.ExceptionAsync(async () => await (await SelfHostServer.StartAsync(botApi, new() { ["Auth:ApiKeys:0"] = null })).DisposeAsync());

        Assert.Contains("Auth:ApiKeys", Flatten(error!));
    }

    private static string Flatten(Exception e) => e is AggregateException a
        ? string.Join(" | ", a.Flatten().InnerExceptions.Select(Flatten))
        : e.Message + (e.InnerException is null ? "" : " | " + Flatten(e.InnerException));
}
