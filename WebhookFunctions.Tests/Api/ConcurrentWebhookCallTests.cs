using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Api;

// The issue's scenario over real HTTP: 30 bots, each sent 3 sets and 3 deletes at once, spread over two self-hosts
// (two replicas) sharing one SQLite file, against a Bot API that answers after 40 ms. Once the calls have returned,
// Telegram and the database agree for every bot, and a sweep finds nothing to put right.
public sealed class ConcurrentWebhookCallTests : IAsyncLifetime
{
    private const int Bots = 30;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "webhookfunctions-tests", Guid.NewGuid().ToString("N"));
    private BotApiStandIn _botApi = null!;
    private SelfHostServer _first = null!;
    private SelfHostServer _second = null!;

    public async Task InitializeAsync()
    {
        _botApi = await BotApiStandIn.StartAsync();
        // Generous, so a loaded machine does not turn the race into timeouts (which the sweep would settle instead).
        var settings = new Dictionary<string, string?> { ["Database:SqlitePath"] = Path.Combine(_folder, "webhooks.db"), ["Telegram:Timeout"] = "00:00:30" };
        _first = await SelfHostServer.StartAsync(_botApi, settings);
        _second = await SelfHostServer.StartAsync(_botApi, settings);
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _botApi.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Three_sets_and_three_deletes_at_once_on_each_of_30_bots_leave_telegram_and_the_database_agreeing()
    {
        using var first = _first.CreateManagementClient();
        using var second = _second.CreateManagementClient();
        var bots = new List<(Guid BotId, string Token)>();
        for (var i = 0; i < Bots; i++)
        {
            var (botId, token) = (Guid.NewGuid(), TestTokens.New());
            _botApi.AddBot(token);
            Assert.Equal(HttpStatusCode.Created, (await first.PostAsJsonAsync($"/v1/api/bots/{botId}/platforms", new { platform = "telegram", credentials = new { token } })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await first.PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/set", null)).StatusCode);
            bots.Add((botId, token));
        }
        _botApi.Latency = TimeSpan.FromMilliseconds(40);

        var calls = bots.SelectMany(bot => Enumerable.Range(0, 6).Select(n =>
            (n % 2 == 0 ? first : second).PostAsync($"/v1/api/webhooks/telegram/{bot.BotId}/webhook/{(n < 3 ? "set" : "delete")}", null)));
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await using (var db = _first.NewDb())
        {
            foreach (var (botId, token) in bots)
            {
                var stored = await db.Credentials.AsNoTracking().SingleAsync(c => c.BotId == botId);
                var telegram = _botApi.Bot(token);
                var expected = stored.WebhookEnabled
                    ? ($"{SelfHostServer.Domain}/v1/api/webhooks/telegram/{botId}", stored.WebhookSecret)
                    : ("", null);
                Assert.Equal(expected, (telegram.Url, telegram.SecretToken));
                // Every call recorded its intent once (one set before the race, six in it), and the last one settled.
                Assert.Equal((7L, 7L), (stored.IntentGeneration, stored.AppliedGeneration));
            }
        }
        _botApi.Latency = TimeSpan.Zero;
        var sweep = await ReadSweepAsync(await second.PostAsync("/v1/api/webhooks/telegram/check", null));
        Assert.Equal((0, 0, 0), (sweep.Refreshed, sweep.Disabled, sweep.Failed));
    }

    private static async Task<SweepCounts> ReadSweepAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SweepCounts>(new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower }))!;
    }

    private sealed record SweepCounts(int Refreshed, int Disabled, int Failed);
}
