using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Checking;

/// <summary>
/// Another client holding a bot's token (a second deployment, a developer's machine, a framework that deletes the
/// webhook on shutdown): it changes the webhook through the stand-in's real setWebhook and deleteWebhook endpoints.
/// </summary>
internal sealed class RivalClient(BotApiStandIn botApi) : IDisposable
{
    private readonly HttpClient _http = new();

    public Task SetWebhookAsync(string token, string url) =>
        CallAsync(token, "setWebhook", new JsonObject { ["url"] = url, ["secret_token"] = "rival_secret" });

    /// <summary>Without drop_pending_updates, as a framework shutting down would.</summary>
    public Task DeleteWebhookAsync(string token) => CallAsync(token, "deleteWebhook", new JsonObject());

    private async Task CallAsync(string token, string method, JsonObject body)
    {
        using var response = await _http.PostAsJsonAsync($"{botApi.BaseUrl}/bot{token}/{method}", body);
        var envelope = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(envelope!["ok"]!.GetValue<bool>(), envelope.ToJsonString());
    }

    public void Dispose() => _http.Dispose();
}
