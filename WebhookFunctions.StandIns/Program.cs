using System.Globalization;

namespace WebhookFunctions.StandIns;

/// <summary>Runs the Bot API stand-in on its own, for trying the service by hand without Telegram, or for a benchmark.</summary>
internal static class StandInProgram
{
    // dotnet run --project WebhookFunctions.StandIns -- 8081 123456:TEST-token-for-local-trials-only-000
    // A benchmark's fleet, answering after 50 ms: ... -- 8081 --latency-ms 50 --fleet 100000 --fleet-webhook-url https://hooks.example.test/v1/api/webhooks/telegram/{bot_id}
    private static async Task Main(string[] args)
    {
        var tokens = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                options[args[i][2..]] = args[++i];
            }
            else
            {
                tokens.Add(args[i]);
            }
        }
        var port = tokens.Count > 0 ? int.Parse(tokens[0], CultureInfo.InvariantCulture) : 8081;
        await using var botApi = await BotApiStandIn.StartAsync(port);
        // Nobody in another process can read the recorded calls; a long run would only pile them up.
        botApi.RecordCalls = false;
        botApi.Latency = TimeSpan.FromMilliseconds(options.TryGetValue("latency-ms", out var ms) ? int.Parse(ms, CultureInfo.InvariantCulture) : 0);
        foreach (var token in tokens.Skip(1))
        {
            botApi.AddBot(token);
        }
        var accepted = tokens.Count > 1 ? string.Join(", ", tokens.Skip(1).Select(t => t.Split(':')[0] + ":…")) : "none listed";
        if (options.TryGetValue("fleet", out var fleetSize))
        {
            var fleet = new StandInFleet(int.Parse(fleetSize, CultureInfo.InvariantCulture), options.GetValueOrDefault("fleet-webhook-url", "https://hooks.example.test/{bot_id}"));
            botApi.AcceptFleet(fleet);
            accepted += $"; a fleet of {fleet.Count:N0} ({StandInFleet.Token(0).Split(':')[0]}:… onwards)";
        }
        Console.WriteLine($"Bot API stand-in on {botApi.BaseUrl}; latency {botApi.Latency.TotalMilliseconds} ms; bot tokens accepted: {accepted}; other tokens answer 401. Ctrl+C stops it.");
        await botApi.WaitForShutdownAsync();
    }
}
