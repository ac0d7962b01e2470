using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace WebhookFunctions.Tests.Api;

// A client that sends headers and then trickles the body: Kestrel gives up after the grace period, and the answer is
// 408 problem JSON, logged as a warning at most. A short grace period keeps the test quick; waiting for the answer is
// all the test does.
public sealed class SlowBodyTests : ApiTestBase
{
    protected override Dictionary<string, string?> Settings => new() { ["Http:RequestBodyGracePeriod"] = "00:00:02" };

    [Fact]
    public async Task A_body_sent_too_slowly_is_408_problem_json_and_no_error_is_logged()
    {
        var (botId, _) = await RegisterBotAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Host.BaseAddress.Host, Host.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST /v1/api/webhooks/telegram/{botId}/webhook/set HTTP/1.1\r\nHost: {Host.BaseAddress.Authority}\r\n" +
            $"x-functions-key: {Support.SelfHostServer.ApiKey}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{";

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var response = await ReadResponseAsync(stream).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("HTTP/1.1 408", response, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", response, StringComparison.Ordinal);
        Assert.Contains("/request-timeout", response, StringComparison.Ordinal);
        Assert.DoesNotContain(Host.Logs.Lines, l => l.StartsWith(nameof(LogLevel.Error), StringComparison.Ordinal) || l.StartsWith(nameof(LogLevel.Critical), StringComparison.Ordinal));
        Assert.Empty(BotApi.CallsOf("setWebhook"));
    }

    // Reads until the server closes the connection or the whole body of the answer has arrived.
    private static async Task<string> ReadResponseAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            if (IsComplete(text.ToString()))
            {
                break;
            }
        }
        return text.ToString();
    }

    private static bool IsComplete(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }
        var header = response[..end].Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return header is not null && response.Length - end - 4 >= int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
