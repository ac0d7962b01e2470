using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Functions;

// Issue 9 item 4b: the generated functions.metadata against the self-host's endpoints.
public sealed class FunctionsRouteParityTests
{
    [Fact]
    public async Task Functions_app_and_self_host_map_the_same_methods_and_routes()
    {
        var functions = RouteParity.FromFunctionsMetadata(FunctionsAppOutput.FunctionsMetadata(), FunctionsAppOutput.RoutePrefix());

        var selfHost = await SelfHostRoutesAsync();

        Assert.Empty(RouteParity.Differences(functions, selfHost));
        Assert.Equal(FunctionsApp.HttpFunctions.Count(), functions.Count);
    }

    [Fact]
    public void Every_http_function_is_anonymous_the_library_checks_the_key()
    {
        var triggers = HttpTriggers(FunctionsAppOutput.FunctionsMetadata());

        Assert.NotEmpty(triggers);
        Assert.All(triggers, t => Assert.Equal("Anonymous", (string?)t["authLevel"]));
    }

    [Fact]
    public void The_timer_is_bound_to_the_schedule_setting_and_does_not_run_at_start_up()
    {
        var timer = Assert.Single(FunctionsAppOutput.FunctionsMetadata().SelectMany(f => f!["bindings"]!.AsArray()), b => (string?)b!["type"] == "timerTrigger")!;

        Assert.Equal("%WEBHOOK_CHECK_SCHEDULE%", (string?)timer["schedule"]);
        Assert.False((bool?)timer["runOnStartup"] ?? false);
    }

    [Fact]
    public async Task A_route_only_the_functions_app_has_fails_the_comparison()
    {
        var metadata = FunctionsAppOutput.FunctionsMetadata();
        metadata.Add(HttpFunction("ExportFleet", "get", "webhooks/telegram/export"));

        var differences = RouteParity.Differences(RouteParity.FromFunctionsMetadata(metadata, FunctionsAppOutput.RoutePrefix()), await SelfHostRoutesAsync());

        Assert.Equal(["only in the Functions app: GET /v1/api/webhooks/telegram/export"], differences);
    }

    [Fact]
    public async Task A_route_only_the_self_host_has_fails_the_comparison()
    {
        var selfHost = (await SelfHostRoutesAsync()).Append(new HttpRoute("PATCH", RouteParity.Normalise("/v1/api/bots/{botId}/platforms/telegram"))).ToHashSet();

        var differences = RouteParity.Differences(RouteParity.FromFunctionsMetadata(FunctionsAppOutput.FunctionsMetadata(), FunctionsAppOutput.RoutePrefix()), selfHost);

        Assert.Equal(["only in the self-host: PATCH /v1/api/bots/{botid}/platforms/telegram"], differences);
    }

    [Fact]
    public void A_function_missing_from_the_metadata_fails_the_comparison()
    {
        var complete = RouteParity.FromFunctionsMetadata(FunctionsAppOutput.FunctionsMetadata(), FunctionsAppOutput.RoutePrefix());
        var metadata = FunctionsAppOutput.FunctionsMetadata();
        metadata.Remove(metadata.Single(f => (string?)f!["name"] == "DeleteWebhook"));

        var differences = RouteParity.Differences(RouteParity.FromFunctionsMetadata(metadata, FunctionsAppOutput.RoutePrefix()), complete);

        Assert.Equal(["only in the self-host: POST /v1/api/webhooks/telegram/{botid}/webhook/delete"], differences);
    }

    [Theory]
    [InlineData("v1/api/bots/{botId}/platforms", "/v1/api/bots/{botId:guid}/platforms/")]
    [InlineData("v1/api/webhooks/telegram/{botId}", "/V1/API/Webhooks/Telegram/{BOTID?}")]
    public void Parameter_syntax_case_and_slashes_do_not_count_as_differences(string functionsRoute, string selfHostRoute) =>
        Assert.Equal(RouteParity.Normalise(functionsRoute), RouteParity.Normalise(selfHostRoute));

    [Fact]
    public void A_different_parameter_name_counts_as_a_difference() =>
        Assert.NotEqual(RouteParity.Normalise("v1/api/bots/{botId}/platforms"), RouteParity.Normalise("/v1/api/bots/{id}/platforms"));

    private static async Task<IReadOnlySet<HttpRoute>> SelfHostRoutesAsync()
    {
        await using var botApi = await BotApiStandIn.StartAsync();
        await using var host = await SelfHostServer.StartAsync(botApi);
        return RouteParity.FromEndpoints(host.Services.GetRequiredService<EndpointDataSource>().Endpoints, FunctionsAppOutput.RoutePrefix());
    }

    private static List<JsonNode> HttpTriggers(JsonArray metadata) =>
        metadata.SelectMany(f => f!["bindings"]!.AsArray()).Where(b => (string?)b!["type"] == "httpTrigger").Select(b => b!).ToList();

    private static JsonObject HttpFunction(string name, string method, string route) => new()
    {
        ["name"] = name,
        ["bindings"] = new JsonArray(new JsonObject
        {
            ["name"] = "request",
            ["type"] = "httpTrigger",
            ["authLevel"] = "Anonymous",
            ["methods"] = new JsonArray(method),
            ["route"] = route,
        }),
    };
}
