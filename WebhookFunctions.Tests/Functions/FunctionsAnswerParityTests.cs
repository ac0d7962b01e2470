using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Tests.Receiving;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Functions;

// Issue 9 item 4c: each HTTP function, invoked in process over the real library, answers as the self-host does over
// HTTP for the same request from the same state; the timer function runs a sweep.
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class FunctionsAnswerParityTests(AzuriteFixture azurite)
{
    private static readonly int[] StatusesTheApiAnswers = [200, 201, 400, 401, 404, 409, 413, 415, 422, 429, 502, 503, 504];

    public static TheoryData<string> Cases => new(ParityCases.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Function_answers_as_the_self_host_does(string name)
    {
        var parityCase = ParityCases.All[name];
        await using var world = await ParityWorld.StartAsync(parityCase.Degraded ? DegradedSettings() : Settings());

        await world.ResetAsync();
        var selfHost = await world.SendToSelfHostAsync(await parityCase.Arrange(world));
        await world.ResetAsync();
        var function = await world.InvokeFunctionAsync(parityCase.Function, await parityCase.Arrange(world));

        Assert.Equal(parityCase.Status, selfHost.Status);
        Assert.Equal(parityCase.Status == 429, selfHost.RetryAfter is not null);
        Assert.Equal(PerRequestValues.Normalise(selfHost), PerRequestValues.Normalise(function));
    }

    [Fact]
    public void Every_http_function_has_a_case()
    {
        var covered = ParityCases.All.Values.Select(c => c.Function).ToHashSet();

        Assert.All(FunctionsApp.HttpFunctions.Select(FunctionsApp.NameOf), f => Assert.Contains(f, covered));
    }

    [Fact]
    public void The_cases_provoke_every_status_the_api_answers_with() =>
        Assert.Empty(StatusesTheApiAnswers.Except(ParityCases.All.Values.Select(c => c.Status)));

    [Fact]
    public async Task Timer_function_runs_a_sweep_that_repairs_a_missing_webhook()
    {
        await using var world = await ParityWorld.StartAsync(Settings());
        await world.ResetAsync();
        await world.AddBotAsync(webhookEnabled: true);

        await world.Functions.InvokeTimerAsync("CheckWebhooksOnSchedule");

        var expectedUrl = $"{SelfHostServer.Domain}/v1/api/webhooks/telegram/{ParityWorld.BotId}";
        Assert.Equal(expectedUrl, world.BotApi.Bot(ParityWorld.Token).Url);
        Assert.Equal(ParityWorld.Secret, world.BotApi.Bot(ParityWorld.Token).SecretToken);
        await using var db = world.SelfHost.NewDb();
        var credential = await db.Credentials.AsNoTracking().SingleAsync(c => c.BotId == ParityWorld.BotId);
        Assert.Equal(((CheckOutcome?)CheckOutcome.Refreshed, "url_missing"), (credential.LastCheckOutcome, credential.LastCheckReason));
        Assert.NotNull(credential.LastSweptAt);
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["UpdateQueue:ConnectionString"] = azurite.ConnectionString,
        ["UpdateQueue:Name"] = "parity-" + Guid.NewGuid().ToString("N")[..16],
        ["UpdateQueue:MaxBodyBytes"] = "2048",
    };

    // Nothing answers on 127.0.0.1:9: no ngrok agent (so no public URL in Tunnel mode), no queue.
    private static Dictionary<string, string?> DegradedSettings() => new()
    {
        ["Webhook:Mode"] = "Tunnel",
        ["Ngrok:ApiUrl"] = "http://127.0.0.1:9",
        ["Ngrok:Path"] = "/nonexistent/ngrok",
        ["UpdateQueue:ConnectionString"] =
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};QueueEndpoint=http://127.0.0.1:9/{AzuriteFixture.AccountName};",
        ["UpdateQueue:MaxBodyBytes"] = "2048",
    };
}
