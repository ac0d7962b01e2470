using System.Globalization;

namespace WebhookFunctions.StandIns;

/// <summary>Runs the Bot API stand-in on its own, for trying the service by hand without Telegram.</summary>
internal static class StandInProgram
{
    // dotnet run --project WebhookFunctions.StandIns -- 8081 123456:TEST-token-for-local-trials-only-000
    private static async Task Main(string[] args)
    {
        var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8081;
        await using var botApi = await BotApiStandIn.StartAsync(port);
        foreach (var token in args.Skip(1))
        {
            botApi.AddBot(token);
        }
        var accepted = args.Length > 1 ? string.Join(", ", args.Skip(1).Select(t => t.Split(':')[0] + ":…")) : "none (every call answers 401)";
        Console.WriteLine($"Bot API stand-in on {botApi.BaseUrl}; bot tokens accepted: {accepted}. Ctrl+C stops it.");
        await botApi.WaitForShutdownAsync();
    }
}
