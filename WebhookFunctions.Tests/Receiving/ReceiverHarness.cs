using System.Net;
using System.Text;
using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Receiving;
using WebhookFunctions.Domain.Webhooks;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Receiving;

/// <summary>The domain harness with the update queue on Azurite (a queue of its own per test), and deliveries as Telegram makes them.</summary>
internal sealed class ReceiverHarness : IAsyncDisposable
{
    private readonly AzuriteFixture _azurite;

    private ReceiverHarness(AzuriteFixture azurite, DomainHarness domain, string queueName)
    {
        _azurite = azurite;
        Domain = domain;
        QueueName = queueName;
    }

    public DomainHarness Domain { get; }
    public string QueueName { get; }
    public UpdateReceiver Receiver => Domain.Services.GetRequiredService<UpdateReceiver>();

    public static async Task<ReceiverHarness> StartAsync(AzuriteFixture azurite, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var queueName = "updates-" + Guid.NewGuid().ToString("N")[..16];
        var values = new Dictionary<string, string?>
        {
            ["UpdateQueue:ConnectionString"] = azurite.ConnectionString,
            ["UpdateQueue:Name"] = queueName,
            // The API layer (DeliverOverApiAsync) composes the management key check, which needs a key outside Development.
            ["Auth:ApiKeys:0"] = SelfHostServer.ApiKey,
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }
        return new ReceiverHarness(azurite, await DomainHarness.StartAsync(values, configure), queueName);
    }

    /// <summary>A bot whose webhook was set: enabled, with a generated secret.</summary>
    public async Task<(Guid BotId, string Secret)> AddBotWithWebhookAsync(Action<BotPlatformCredential>? configure = null)
    {
        var secret = WebhookSecret.Generate();
        var bot = await Domain.AddBotAsync(c =>
        {
            c.WebhookEnabled = true;
            c.WebhookSecret = secret;
            c.WebhookUrl = $"{DomainHarness.Domain}/v1/api/webhooks/telegram/{c.BotId}";
            configure?.Invoke(c);
        });
        return (bot.BotId, secret);
    }

    public Task<ReceiveResult> DeliverAsync(Guid botId, string? secret, string body, IPAddress? from = null, string? forwardedFor = null) =>
        DeliverAsync(botId.ToString(), secret, Encoding.UTF8.GetBytes(body), from, forwardedFor);

    public async Task<ReceiveResult> DeliverAsync(string botId, string? secret, byte[] body, IPAddress? from = null, string? forwardedFor = null, long? contentLength = null)
    {
        using var stream = new MemoryStream(body);
        return await Receiver.ReceiveAsync(new UpdateDelivery(botId, secret, stream, contentLength ?? body.Length, from ?? IPAddress.Loopback, forwardedFor), default);
    }

    /// <summary>A delivery through the API layer (as both hosts make it), which also counts it; the HTTP status it answers.</summary>
    public async Task<int> DeliverOverApiAsync(Guid botId, string? secret, string body)
    {
        await using var scope = Domain.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.ContentLength = context.Request.Body.Length;
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (secret is not null)
        {
            context.Request.Headers[ReceiverApi.SecretHeader] = secret;
        }
        var result = await scope.ServiceProvider.GetRequiredService<ReceiverApi>().ReceiveAsync(context.Request, botId.ToString(), default);
        // Read, not executed: executing a result logs lines of its own, which the rejection-logging tests count.
        return Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode ?? StatusCodes.Status200OK;
    }

    public Task<PeekedMessage[]> MessagesAsync() => _azurite.PeekAllAsync(QueueName);

    public async Task<ReceivedUpdate[]> ReceivedRowsAsync()
    {
        await using var db = Domain.NewDb();
        return await db.ReceivedUpdates.AsNoTracking().ToArrayAsync();
    }

    /// <summary>A private-chat text message as Telegram sends it.</summary>
    public static string Update(long updateId, string text = "/start") =>
        $$$"""{"update_id":{{{updateId}}},"message":{"message_id":1365,"from":{"id":1111111,"is_bot":false,"first_name":"Ann","language_code":"en"},"chat":{"id":1111111,"first_name":"Ann","type":"private"},"date":1795521600,"text":"{{{text}}}","entities":[{"offset":0,"length":6,"type":"bot_command"}]}}""";

    public ValueTask DisposeAsync() => Domain.DisposeAsync();
}
