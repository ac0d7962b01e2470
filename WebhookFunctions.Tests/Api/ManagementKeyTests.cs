using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Api;

public sealed partial class ManagementKeyTests
{
    [Fact]
    public async Task Development_without_keys_logs_one_generated_key_that_works()
    {
        await using var botApi = await BotApiStandIn.StartAsync();
        await using var host = await SelfHostServer.StartAsync(botApi, new() { ["Auth:ApiKeys:0"] = null }, environment: "Development");

        var lines = host.Logs.Lines.Where(l => l.Contains("Development key", StringComparison.Ordinal)).ToList();
        var key = DevelopmentKey().Match(Assert.Single(lines)).Groups[1].Value;
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", key);

        var response = await client.GetAsync($"/v1/api/bots/{Guid.NewGuid()}/platforms");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Both_keys_of_a_rotation_pair_are_accepted()
    {
        await using var botApi = await BotApiStandIn.StartAsync();
        await using var host = await SelfHostServer.StartAsync(botApi, new() { ["Auth:ApiKeys:1"] = "second-key-for-rotation-0123456789" });

        foreach (var key in new[] { SelfHostServer.ApiKey, "second-key-for-rotation-0123456789" })
        {
            using var client = host.CreateClient();
            client.DefaultRequestHeaders.Add("x-functions-key", key);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/api/bots/{Guid.NewGuid()}/platforms")).StatusCode);
        }
    }

    [Fact]
    public async Task A_prefix_of_a_key_is_not_accepted()
    {
        await using var botApi = await BotApiStandIn.StartAsync();
        await using var host = await SelfHostServer.StartAsync(botApi);
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", SelfHostServer.ApiKey[..^1]);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/v1/api/bots/{Guid.NewGuid()}/platforms")).StatusCode);
    }

    [Fact]
    public async Task The_functions_adapter_writes_exactly_what_the_result_writes()
    {
        var result = ApiProblems.Problem(429, "telegram-rate-limited", "Telegram rate limit", "retry later",
            new Dictionary<string, object?> { ["retry_after"] = 5 }, new HeaderDictionary { ["Retry-After"] = "5" });

        var direct = await ExecuteAsync(context => result.ExecuteAsync(context));
        var adapted = await ExecuteAsync(context => result.ToActionResult().ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor())));

        Assert.Equal(direct.Status, adapted.Status);
        Assert.Equal(direct.ContentType, adapted.ContentType);
        Assert.Equal(direct.RetryAfter, adapted.RetryAfter);
        Assert.Equal(direct.Body, adapted.Body);
        Assert.Equal(429, direct.Status);
    }

    private static async Task<(int Status, string? ContentType, string? RetryAfter, string Body)> ExecuteAsync(Func<HttpContext, Task> write)
    {
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        using var body = new MemoryStream();
        context.Response.Body = body;
        await write(context);
        return (context.Response.StatusCode, context.Response.ContentType, context.Response.Headers.RetryAfter.ToString(), System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    [GeneratedRegex("Development key for this run: ([0-9a-f]+)")]
    private static partial Regex DevelopmentKey();
}
