using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>
/// Verifies one delivery and hands its update to the queue, and nothing more, so Telegram gets its answer fast.
/// 200 only after the enqueue succeeded; a redelivery of an enqueued update is not enqueued again.
/// </summary>
internal sealed partial class UpdateReceiver(
    IDbContextFactory<WebhookDbContext> dbs,
    ReceiverCredentialCache credentialCache,
    UpdateQueue queue,
    ReceivedUpdateLedger ledger,
    DeliverySource sources,
    IOptions<UpdateQueueOptions> options,
    ReceiverMetrics metrics,
    RejectionLogThrottle logThrottle,
    TimeProvider time,
    ILogger<UpdateReceiver> logger)
{
    /// <summary>Verifies and enqueues; the API layer counts the delivery with the HTTP status it answers (<see cref="ReceiverMetrics"/>).</summary>
    public async Task<ReceiveResult> ReceiveAsync(UpdateDelivery delivery, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        Guid? botId = Guid.TryParse(delivery.BotId, out var parsed) ? parsed : null;

        if (settings.AllowTelegramSourceRangesOnly)
        {
            var client = sources.ClientAddress(delivery.RemoteAddress, delivery.ForwardedFor);
            if (!DeliverySource.IsTelegram(client))
            {
                LogOutsideTelegramRanges(logger, botId, client);
                return Reject(botId, ReceiveOutcome.Forbidden, "The request does not come from Telegram's documented address ranges.");
            }
        }

        // Unknown bot and wrong secret answer alike, so a caller without the secret learns nothing about which bots exist.
        var credential = await FindCredentialAsync(botId, delivery.SecretToken, cancellationToken);
        if (credential is null)
        {
            return Reject(botId, ReceiveOutcome.Unauthorized, "The X-Telegram-Bot-Api-Secret-Token header is missing or does not match this bot's webhook secret.");
        }
        if (!credential.IsActive)
        {
            return Reject(botId, ReceiveOutcome.NotFound, "This bot's credential has been replaced or deactivated.");
        }
        if (!credential.WebhookEnabled)
        {
            return Reject(botId, ReceiveOutcome.NotFound, "This bot's webhook is disabled; set it again to receive updates.");
        }

        var body = await ReadBodyAsync(delivery, settings.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Reject(botId, ReceiveOutcome.TooLarge, $"The body is larger than {settings.MaxBodyBytes} bytes (UpdateQueue:MaxBodyBytes).");
        }
        using var update = ParseUpdate(body, out var updateId, out var problem);
        if (update is null)
        {
            return Reject(botId, ReceiveOutcome.BadRequest, problem!);
        }

        var bot = botId!.Value;
        var message = queue.ToMessage(bot, updateId, time.GetUtcNow(), body, update.RootElement);
        if (message is null)
        {
            return Reject(botId, ReceiveOutcome.TooLarge, $"The update does not fit one queue message ({UpdateQueue.MaxMessageBytes} bytes as sent).", updateId);
        }
        return await EnqueueOnceAsync(bot, updateId, credential.Id, message, cancellationToken);
    }

    private async Task<ReceiveResult> EnqueueOnceAsync(Guid botId, long updateId, Guid credentialId, BinaryData message, CancellationToken cancellationToken)
    {
        var claim = await ledger.ClaimAsync(botId, updateId);
        if (claim.State == ClaimState.Duplicate)
        {
            LogDuplicate(logger, botId, updateId);
            return new ReceiveResult(ReceiveOutcome.Duplicate, "This update was enqueued by an earlier delivery.", updateId);
        }
        if (claim.State == ClaimState.InFlight)
        {
            return Reject(botId, ReceiveOutcome.Unavailable, "Another delivery of this update is being enqueued; deliver it again later.", updateId);
        }

        var enqueueStarted = time.GetTimestamp();
        try
        {
            await queue.EnqueueAsync(message, cancellationToken);
            metrics.Enqueued(succeeded: true, time.GetElapsedTime(enqueueStarted));
        }
        catch (Exception e)
        {
            metrics.Enqueued(succeeded: false, time.GetElapsedTime(enqueueStarted));
            LogEnqueueFailed(logger, botId, updateId, queue.Name, e);
            // Nothing is recorded as delivered, so Telegram's redelivery is enqueued.
            await BestEffortAsync(botId, "release the claim", () => ledger.ReleaseAsync(botId, updateId, claim.ClaimedAt));
            return Reject(botId, ReceiveOutcome.Unavailable, "The update queue cannot be reached; deliver the update again later.", updateId);
        }

        // The update is safe on the queue; bookkeeping that fails from here on must not turn the answer into an error.
        await BestEffortAsync(botId, "confirm the update", () => ledger.ConfirmAsync(botId, updateId, claim.ClaimedAt, credentialId));
        await BestEffortAsync(botId, "prune received updates", () => ledger.PruneIfDueAsync(CancellationToken.None));
        LogAccepted(logger, botId, updateId);
        return new ReceiveResult(ReceiveOutcome.Accepted, "The update is on the queue.", updateId);
    }

    private async Task<CachedCredential?> FindCredentialAsync(Guid? botId, string? secret, CancellationToken cancellationToken)
    {
        if (botId is not { } bot || string.IsNullOrEmpty(secret))
        {
            return null;
        }
        var credentials = credentialCache.Find(bot) ?? await LoadCredentialsAsync(bot, cancellationToken);
        // A replaced credential's secret proves the caller is Telegram, so it earns the 404 that tells why.
        var presented = WebhookSecret.Digest(secret);
        return credentials.FirstOrDefault(c => c.SecretDigest is { } digest && CryptographicOperations.FixedTimeEquals(presented, digest));
    }

    private async Task<IReadOnlyList<CachedCredential>> LoadCredentialsAsync(Guid botId, CancellationToken cancellationToken)
    {
        var generation = credentialCache.Generation;
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var rows = await db.Credentials.AsNoTracking()
            .Where(c => c.BotId == botId && c.Platform == Platforms.Telegram)
            .OrderByDescending(c => c.IsActive)
            .Select(c => new { c.Id, c.IsActive, c.WebhookEnabled, c.WebhookSecret })
            .ToListAsync(cancellationToken);
        var credentials = rows
            .Select(c => new CachedCredential(c.Id, c.IsActive, c.WebhookEnabled, c.WebhookSecret is null ? null : WebhookSecret.Digest(c.WebhookSecret)))
            .ToList();
        credentialCache.Store(botId, credentials, generation);
        return credentials;
    }

    private static async Task<byte[]?> ReadBodyAsync(UpdateDelivery delivery, int maxBytes, CancellationToken cancellationToken)
    {
        if (delivery.ContentLength > maxBytes)
        {
            return null;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            var total = 0;
            int read;
            while (total <= maxBytes && (read = await delivery.Body.ReadAsync(buffer.AsMemory(total, maxBytes + 1 - total), cancellationToken)) > 0)
            {
                total += read;
            }
            return total > maxBytes ? null : buffer.AsSpan(0, total).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static JsonDocument? ParseUpdate(byte[] body, out long updateId, out string? problem)
    {
        updateId = 0;
        // The same rules as the management routes: a body two readers could read differently is not put on the queue.
        var document = StrictJson.TryParse(body, out var rule);
        if (document is null)
        {
            problem = $"The body {rule}.";
            return null;
        }
        if (document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("update_id", out var id)
            && id.ValueKind == JsonValueKind.Number
            && id.TryGetInt64(out updateId))
        {
            problem = null;
            return document;
        }
        document.Dispose();
        problem = "The body is not a Telegram Update: it needs an integer update_id.";
        return null;
    }

    private async Task BestEffortAsync(Guid botId, string step, Func<Task> bookkeeping)
    {
        try
        {
            await bookkeeping();
        }
        catch (Exception e)
        {
            LogBookkeepingFailed(logger, botId, step, e);
        }
    }

    private ReceiveResult Reject(Guid? botId, ReceiveOutcome outcome, string reason, long? updateId = null)
    {
        // Counted with every other delivery in ReceiveAsync (webhook_receiver.deliveries, by result).
        if (logThrottle.ShouldLog(botId, outcome, out var suppressed))
        {
            LogRejected(logger, botId, outcome, reason, suppressed);
        }
        return new ReceiveResult(outcome, reason, updateId);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Update {UpdateId} of bot {BotId} is on the queue")]
    private static partial void LogAccepted(ILogger logger, Guid botId, long updateId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Update {UpdateId} of bot {BotId} was delivered again; it is already on the queue")]
    private static partial void LogDuplicate(ILogger logger, Guid botId, long updateId);

    // BotId is null when the route value is not a bot id; the raw value is not logged. At most one line per bot and
    // outcome a minute (RejectionLogThrottle); Suppressed counts the rejections held back before this one.
    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a delivery for bot {BotId}: {Outcome}, {Reason} ({Suppressed} more since the last such line)")]
    private static partial void LogRejected(ILogger logger, Guid? botId, ReceiveOutcome outcome, string reason, long suppressed);

    // Debug: the rejection line that follows is the one rate-limited for operators.
    [LoggerMessage(Level = LogLevel.Debug, Message = "A delivery for bot {BotId} came from {ClientAddress}, outside Telegram's ranges")]
    private static partial void LogOutsideTelegramRanges(ILogger logger, Guid? botId, IPAddress? clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not enqueue update {UpdateId} of bot {BotId} on queue {QueueName}; answered 503 so Telegram delivers it again")]
    private static partial void LogEnqueueFailed(ILogger logger, Guid botId, long updateId, string queueName, Exception exception);

    // An unconfirmed or unreleased claim is taken over by a redelivery after ReceivedUpdateLedger.ClaimTimeout.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not {Step} for bot {BotId}")]
    private static partial void LogBookkeepingFailed(ILogger logger, Guid botId, string step, Exception exception);
}
