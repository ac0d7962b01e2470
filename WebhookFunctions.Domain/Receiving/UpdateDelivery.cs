using System.Net;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>One delivery as Telegram makes it: POST to the bot's webhook URL with the secret header and one Update as JSON.</summary>
/// <param name="BotId">The {botId} route value, unparsed.</param>
/// <param name="SecretToken">The X-Telegram-Bot-Api-Secret-Token header, if any.</param>
/// <param name="Body">The request body: one Update as JSON, read at most once.</param>
/// <param name="ContentLength">The declared length, if any: a larger body is refused unread.</param>
/// <param name="RemoteAddress">The connection's peer.</param>
/// <param name="ForwardedFor">The X-Forwarded-For header, believed only from UpdateQueue:TrustedProxies.</param>
internal sealed record UpdateDelivery(
    string BotId,
    string? SecretToken,
    Stream Body,
    long? ContentLength = null,
    IPAddress? RemoteAddress = null,
    string? ForwardedFor = null);
