namespace WebhookFunctions.Domain.Receiving;

/// <summary>What became of one delivery; the API layer (ReceiverApi.StatusOf) decides the HTTP status.</summary>
/// <param name="Outcome">How the delivery ended.</param>
/// <param name="Detail">Safe to return and log: never the secret or the body.</param>
/// <param name="UpdateId">The update's update_id, once the body was read far enough to know it.</param>
internal sealed record ReceiveResult(ReceiveOutcome Outcome, string Detail, long? UpdateId = null);

/// <summary>How a delivery from Telegram ended; the API maps each to one HTTP status.</summary>
internal enum ReceiveOutcome
{
    /// <summary>Enqueued (200).</summary>
    Accepted,

    /// <summary>Already enqueued by an earlier delivery; not enqueued again (200).</summary>
    Duplicate,

    /// <summary>Missing or wrong secret, or a bot id the caller cannot prove it knows (401).</summary>
    Unauthorized,

    /// <summary>Right secret, but the webhook is disabled or the credential inactive (404).</summary>
    NotFound,

    /// <summary>Not a JSON object with an integer update_id (400).</summary>
    BadRequest,

    /// <summary>Body over UpdateQueue:MaxBodyBytes, or too big for one queue message (413).</summary>
    TooLarge,

    /// <summary>Source outside Telegram's ranges while the allowlist is on (403).</summary>
    Forbidden,

    /// <summary>The queue could not be reached, or another delivery of the same update is mid-way (503): Telegram delivers again.</summary>
    Unavailable,
}
