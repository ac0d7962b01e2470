using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Receiving;
using static WebhookFunctions.Tests.Functions.ParityWorld;

namespace WebhookFunctions.Tests.Functions;

/// <summary>
/// One request against one arranged state, the function that answers it under Functions, and the status it must
/// provoke (so two hosts failing alike cannot pass). <see cref="Degraded"/> cases run where no public URL and no queue
/// can be reached.
/// </summary>
internal sealed record ParityCase(string Function, int Status, Func<ParityWorld, Task<ParityRequest>> Arrange, bool Degraded = false);

/// <summary>The table: every HTTP function, and every status the API answers with.</summary>
internal static class ParityCases
{
    private static readonly string Bot = BotId.ToString();
    private static readonly string Set = $"/v1/api/webhooks/telegram/{Bot}/webhook/set";
    private static readonly string Status = $"/v1/api/webhooks/telegram/{Bot}/webhook/status";
    private static readonly string Platforms = $"/v1/api/bots/{Bot}/platforms";
    private static readonly string Registration = $$"""{"platform":"telegram","credentials":{"token":"{{Token}}"},"is_active":true,"webhook_auto_refresh":true}""";

    public static IReadOnlyDictionary<string, ParityCase> All { get; } = new Dictionary<string, ParityCase>
    {
        ["openapi document"] = new("GetOpenApiDocument", 200, _ => Request(Anonymous("GET", "/v1/api/openapi/v1.json"))),
        ["health: database answers"] = new("Health", 200, _ => Request(Anonymous("GET", "/v1/api/healthz"))),
        ["health: database gone"] = new("Health", 503, async w =>
        {
            await w.DeleteDatabaseAsync();
            return Anonymous("GET", "/v1/api/healthz");
        }),

        ["register: created"] = new("RegisterCredential", 201, w =>
        {
            w.BotApi.AddBot(Token);
            return Request(Management("POST", Platforms, Registration));
        }),
        ["register: second active credential"] = new("RegisterCredential", 409, async w =>
        {
            await w.AddBotAsync();
            return Management("POST", Platforms, Registration);
        }),
        ["register: no management key"] = new("RegisterCredential", 401, _ => Request(Anonymous("POST", Platforms, Registration))),
        ["register: bot id not a uuid"] = new("RegisterCredential", 400, _ => Request(Management("POST", "/v1/api/bots/not-a-uuid/platforms", Registration))),
        ["register: unknown field"] = new("RegisterCredential", 400, _ => Request(Management("POST", Platforms, """{"platform":"telegram","token":"x"}"""))),
        ["register: body over 64 KiB"] = new("RegisterCredential", 413, _ => Request(Management("POST", Platforms, $$"""{"platform":"{{new string('a', 70 * 1024)}}"}"""))),
        ["register: form body"] = new("RegisterCredential", 415, _ => Request(Management("POST", Platforms) with
        {
            Body = "platform=telegram"u8.ToArray(),
            ContentType = "application/x-www-form-urlencoded",
        })),

        ["list credentials"] = new("ListCredentials", 200, async w =>
        {
            await w.AddBotAsync(webhookEnabled: true);
            return Management("GET", Platforms);
        }),

        ["replace: existing"] = new("ReplaceCredential", 200, async w =>
        {
            await w.AddBotAsync();
            return Management("PUT", Platforms + "/telegram", """{"webhook_auto_refresh":false}""");
        }),
        ["replace: creates"] = new("ReplaceCredential", 201, w =>
        {
            w.BotApi.AddBot(Token);
            return Request(Management("PUT", Platforms + "/telegram", $$$"""{"credentials":{"token":"{{{Token}}}"}}"""));
        }),

        ["deactivate"] = new("DeactivateCredential", 200, async w =>
        {
            await w.AddBotAsync(webhookEnabled: true);
            return Management("DELETE", Platforms + "/telegram");
        }),
        ["deactivate: unknown bot"] = new("DeactivateCredential", 404, _ => Request(Management("DELETE", Platforms + "/telegram"))),

        ["set"] = new("SetWebhook", 200, async w =>
        {
            await w.AddBotAsync();
            return Management("POST", Set, """{"max_connections":10,"allowed_updates":["message"]}""");
        }),
        ["set: invalid body"] = new("SetWebhook", 400, async w =>
        {
            await w.AddBotAsync();
            return Management("POST", Set, """{"max_connections":"10","secret_token":"with space"}""");
        }),
        ["set: telegram rate limit"] = new("SetWebhook", 429, async w =>
        {
            await w.AddBotAsync();
            w.BotApi.Fail(Token, "setWebhook", Fault.TooManyRequests(17));
            return Management("POST", Set);
        }),
        ["set: token revoked at telegram"] = new("SetWebhook", 422, async w =>
        {
            await w.AddBotAsync(knownToTelegram: false);
            return Management("POST", Set);
        }),
        ["set: telegram fails"] = new("SetWebhook", 502, async w =>
        {
            await w.AddBotAsync();
            w.BotApi.Fail(Token, "setWebhook", Fault.ServerError());
            return Management("POST", Set);
        }),
        ["set: telegram times out"] = new("SetWebhook", 504, async w =>
        {
            await w.AddBotAsync();
            w.BotApi.Fail(Token, "setWebhook", Fault.Timeout(TimeSpan.FromSeconds(5)));
            return Management("POST", Set);
        }),

        ["status"] = new("GetWebhookStatus", 200, async w =>
        {
            await w.AddBotAsync(webhookEnabled: true);
            var bot = w.BotApi.Bot(Token);
            (bot.Url, bot.SecretToken, bot.MaxConnections, bot.PendingUpdateCount) = ($"{Support.SelfHostServer.Domain}/v1/api/webhooks/telegram/{Bot}", Secret, 40, 3);
            return Management("GET", Status);
        }),
        ["status: unknown bot"] = new("GetWebhookStatus", 404, _ => Request(Management("GET", Status))),
        ["status: telegram answers html"] = new("GetWebhookStatus", 502, async w =>
        {
            await w.AddBotAsync();
            w.BotApi.Fail(Token, "getWebhookInfo", Fault.BadGatewayHtml());
            return Management("GET", Status);
        }),

        ["delete"] = new("DeleteWebhook", 200, async w =>
        {
            await w.AddBotAsync(webhookEnabled: true);
            return Management("POST", $"/v1/api/webhooks/telegram/{Bot}/webhook/delete", """{"drop_pending_updates":true}""");
        }),

        ["check"] = new("CheckWebhooks", 200, async w =>
        {
            await w.AddBotAsync(webhookEnabled: true);
            return Management("POST", "/v1/api/webhooks/telegram/check");
        }),
        ["check: another sweep holds the lease"] = new("CheckWebhooks", 409, async w =>
        {
            await w.HoldCheckerLeaseAsync();
            return Management("POST", "/v1/api/webhooks/telegram/check");
        }),
        ["check: no public url"] = new("CheckWebhooks", 503, async w =>
        {
            await w.AddBotAsync();
            return Management("POST", "/v1/api/webhooks/telegram/check");
        }, Degraded: true),

        ["fleet"] = new("ListWebhooks", 200, async w =>
        {
            await w.AddBotAsync(webhookEnabled: true);
            return Management("GET", "/v1/api/webhooks/telegram?page=1&size=10");
        }),
        ["fleet: page 0"] = new("ListWebhooks", 400, _ => Request(Management("GET", "/v1/api/webhooks/telegram?page=0"))),
        ["fleet: no management key"] = new("ListWebhooks", 401, _ => Request(Anonymous("GET", "/v1/api/webhooks/telegram"))),

        ["dashboard page"] = new("Dashboard", 200, _ => Request(Anonymous("GET", "/v1/api/dashboard"))),
        ["dashboard script"] = new("DashboardFile", 200, _ => Request(Anonymous("GET", "/v1/api/dashboard/dashboard.js"))),
        ["dashboard: unknown file"] = new("DashboardFile", 404, _ => Request(Anonymous("GET", "/v1/api/dashboard/nothing.txt"))),
        ["summary"] = new("FleetSummary", 200, async w =>
        {
            await w.AddBotAsync(webhookEnabled: true);
            return Management("GET", "/v1/api/webhooks/telegram/summary");
        }),
        ["summary: no management key"] = new("FleetSummary", 401, _ => Request(Anonymous("GET", "/v1/api/webhooks/telegram/summary"))),
        ["history"] = new("GetWebhookHistory", 200, async w =>
        {
            await w.AddBotAsync(webhookEnabled: true);
            return Management("GET", $"/v1/api/webhooks/telegram/{Bot}/webhook/history?limit=10");
        }),
        ["history: limit 0"] = new("GetWebhookHistory", 400, _ => Request(Management("GET", $"/v1/api/webhooks/telegram/{Bot}/webhook/history?limit=0"))),

        ["receive"] = new("ReceiveTelegramUpdate", 200, async w =>
        {
            await w.AddBotAsync(webhookEnabled: true);
            return Delivery(ReceiverHarness.Update(424242, "/order"));
        }),
        ["receive: wrong secret"] = new("ReceiveTelegramUpdate", 401, async w =>
        {
            await w.AddBotAsync(webhookEnabled: true);
            return Delivery(ReceiverHarness.Update(1), secret: "not-the-secret");
        }),
        ["receive: webhook not enabled"] = new("ReceiveTelegramUpdate", 404, async w =>
        {
            await w.AddBotAsync(webhookEnabled: false);
            return Delivery(ReceiverHarness.Update(2));
        }),
        ["receive: not an update"] = new("ReceiveTelegramUpdate", 400, async w =>
        {
            await w.AddBotAsync(webhookEnabled: true);
            return Delivery("""{"message":{}}""");
        }),
        ["receive: body over the limit"] = new("ReceiveTelegramUpdate", 413, async w =>
        {
            await w.AddBotAsync(webhookEnabled: true);
            return Delivery(ReceiverHarness.Update(3, new string('a', 3000)));
        }),
        ["receive: queue unreachable"] = new("ReceiveTelegramUpdate", 503, async w =>
        {
            await w.AddBotAsync(webhookEnabled: true);
            return Delivery(ReceiverHarness.Update(4));
        }, Degraded: true),
    };

    private static Task<ParityRequest> Request(ParityRequest request) => Task.FromResult(request);
}
