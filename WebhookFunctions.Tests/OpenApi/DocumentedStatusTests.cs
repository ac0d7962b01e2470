using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Api;

namespace WebhookFunctions.Tests.OpenApi;

// The document tells the truth: each status the API really answers in these scenarios is listed for that operation.
public sealed class DocumentedStatusTests : ApiTestBase
{
    private static readonly Dictionary<string, (string OperationId, int Status, Func<DocumentedStatusTests, Task<HttpResponseMessage>> Send)> ScenarioTable = new()
    {
        ["no key"] = (ApiOperations.ListWebhooks, 401, t => t.Host.CreateClient().GetAsync("/v1/api/webhooks/telegram")),
        ["page size over the limit"] = (ApiOperations.ListWebhooks, 400, t => t.Client.GetAsync("/v1/api/webhooks/telegram?size=501")),
        ["fleet"] = (ApiOperations.ListWebhooks, 200, t => t.Client.GetAsync("/v1/api/webhooks/telegram")),
        ["sweep"] = (ApiOperations.CheckWebhooks, 200, t => t.Client.PostAsync("/v1/api/webhooks/telegram/check", null)),
        ["bot id not a uuid"] = (ApiOperations.GetWebhookStatus, 400, t => t.Client.GetAsync("/v1/api/webhooks/telegram/not-a-uuid/webhook/status")),
        ["unknown bot"] = (ApiOperations.SetWebhook, 404, t => t.Client.PostAsync($"/v1/api/webhooks/telegram/{Guid.NewGuid()}/webhook/set", null)),
        ["deactivate an unknown bot"] = (ApiOperations.DeactivateCredential, 404, t => t.Client.DeleteAsync($"/v1/api/bots/{Guid.NewGuid()}/platforms/telegram")),
        ["register twice"] = (ApiOperations.RegisterCredential, 409, async t =>
        {
            var (botId, token) = await t.RegisterBotAsync();
            return await t.Client.PostAsJsonAsync($"/v1/api/bots/{botId}/platforms",
                new { platform = "telegram", credentials = new { token }, is_active = true, webhook_auto_refresh = true });
        }
        ),
        ["text body"] = (ApiOperations.ReplaceCredential, 415, t =>
            t.Client.PutAsync($"/v1/api/bots/{Guid.NewGuid()}/platforms/telegram", new StringContent("token=1", System.Text.Encoding.UTF8, "text/plain"))),
        ["body over 64 KiB"] = (ApiOperations.DeleteWebhook, 413, async t =>
        {
            var (botId, _) = await t.RegisterBotAsync();
            return await t.Client.PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/delete", Json($"{{\"pad\":\"{new string('x', 70_000)}\"}}"));
        }
        ),
        ["token revoked"] = (ApiOperations.GetWebhookStatus, 422, t => t.WithTelegramFault("getWebhookInfo", Fault.Unauthorized(), id => t.Client.GetAsync($"/v1/api/webhooks/telegram/{id}/webhook/status"))),
        ["rate limited"] = (ApiOperations.SetWebhook, 429, t => t.WithTelegramFault("setWebhook", Fault.TooManyRequests(17), id => t.Client.PostAsync($"/v1/api/webhooks/telegram/{id}/webhook/set", null))),
        ["Telegram fails"] = (ApiOperations.DeleteWebhook, 502, t => t.WithTelegramFault("deleteWebhook", Fault.ServerError(), id => t.Client.PostAsync($"/v1/api/webhooks/telegram/{id}/webhook/delete", null))),
        ["Telegram stalls"] = (ApiOperations.GetWebhookStatus, 504, t => t.WithTelegramFault("getWebhookInfo", Fault.Timeout(TimeSpan.FromSeconds(5)), id => t.Client.GetAsync($"/v1/api/webhooks/telegram/{id}/webhook/status"))),
        ["delivery without the secret"] = (ApiOperations.ReceiveTelegramUpdate, 401, t => t.Host.CreateClient().PostAsync($"/v1/api/webhooks/telegram/{Guid.NewGuid()}", Json("{\"update_id\":1}"))),
        ["health"] = (ApiOperations.Health, 200, t => t.Host.CreateClient().GetAsync("/v1/api/healthz")),
        ["document"] = (ApiOperations.GetOpenApiDocument, 200, t => t.Host.CreateClient().GetAsync("/v1/api/openapi/v1.json")),
    };

    public static TheoryData<string> Scenarios { get; } = new(ScenarioTable.Keys);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task The_status_answered_is_documented_for_the_operation(string scenario)
    {
        var (operationId, status, send) = ScenarioTable[scenario];

        var response = await send(this);

        Assert.Equal(status, (int)response.StatusCode);
        var documented = DocumentedStatuses(operationId);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), documented);
        var expectedType = status >= 400 ? "application/problem+json" : response.Content.Headers.ContentType?.MediaType;
        Assert.Equal(expectedType, response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> WithTelegramFault(string method, Fault fault, Func<Guid, Task<HttpResponseMessage>> send)
    {
        var (botId, token) = await RegisterBotAsync();
        BotApi.Fail(token, method, fault);
        return await send(botId);
    }

    private static IEnumerable<string> DocumentedStatuses(string operationId) =>
        JsonNode.Parse(ApiDocument.Bytes.Span)!["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => op.Value!))
            .Single(op => op["operationId"]!.GetValue<string>() == operationId)["responses"]!.AsObject()
            .Select(r => r.Key);
}
