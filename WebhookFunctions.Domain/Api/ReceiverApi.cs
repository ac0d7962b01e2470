using Microsoft.AspNetCore.Http;
using WebhookFunctions.Domain.Receiving;

namespace WebhookFunctions.Domain.Api;

/// <summary>
/// POST /v1/api/webhooks/telegram/{botId}, where Telegram delivers updates. No management key: Telegram cannot send
/// one, so the secret header authenticates each delivery. Success is an empty 200 (a body would be read by Telegram
/// as a Bot API call); failures are problem JSON.
/// </summary>
public sealed class ReceiverApi
{
    private readonly ApiPipeline _pipeline;
    private readonly UpdateReceiver _receiver;
    private readonly ReceiverMetrics _metrics;

    // Internal because its collaborators are: AddWebhookManagement registers how to build it.
    internal ReceiverApi(ApiPipeline pipeline, UpdateReceiver receiver, ReceiverMetrics metrics) =>
        (_pipeline, _receiver, _metrics) = (pipeline, receiver, metrics);

    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public Task<IResult> ReceiveAsync(HttpRequest request, string botId, CancellationToken cancellationToken) =>
        _pipeline.RunAsync(request, async () =>
        {
            var delivery = new UpdateDelivery(
                botId,
                request.Headers.TryGetValue(SecretHeader, out var secret) ? secret.ToString() : null,
                request.Body,
                request.ContentLength,
                request.HttpContext.Connection.RemoteIpAddress,
                request.Headers.TryGetValue("X-Forwarded-For", out var forwardedFor) ? forwardedFor.ToString() : null);
            ReceiveResult result;
            try
            {
                result = await _receiver.ReceiveAsync(delivery, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The pipeline answers it 500.
                _metrics.DeliveryFailed(StatusCodes.Status500InternalServerError);
                throw;
            }
            _metrics.Delivered(result.Outcome, StatusOf(result.Outcome));
            return ToHttp(result);
        });

    /// <summary>The one mapping from a delivery's outcome to its HTTP status (the delivery counter is tagged with it too).</summary>
    internal static int StatusOf(ReceiveOutcome outcome) => outcome switch
    {
        ReceiveOutcome.Accepted or ReceiveOutcome.Duplicate => StatusCodes.Status200OK,
        ReceiveOutcome.BadRequest => StatusCodes.Status400BadRequest,
        ReceiveOutcome.Unauthorized => StatusCodes.Status401Unauthorized,
        ReceiveOutcome.Forbidden => StatusCodes.Status403Forbidden,
        ReceiveOutcome.NotFound => StatusCodes.Status404NotFound,
        ReceiveOutcome.TooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status503ServiceUnavailable,
    };

    private static IResult ToHttp(ReceiveResult result)
    {
        var status = StatusOf(result.Outcome);
        return result.Outcome switch
        {
            ReceiveOutcome.Accepted or ReceiveOutcome.Duplicate => TypedResults.Ok(),
            ReceiveOutcome.Unauthorized => ApiProblems.Problem(status, "webhook-secret-invalid", "Unauthorized", result.Detail),
            ReceiveOutcome.NotFound => ApiProblems.Problem(status, "webhook-not-enabled", "Not receiving updates for this bot", result.Detail),
            ReceiveOutcome.BadRequest => ApiProblems.Problem(status, "invalid-update", "Not a Telegram update", result.Detail),
            ReceiveOutcome.TooLarge => ApiProblems.Problem(status, "payload-too-large", "Request body too large", result.Detail),
            ReceiveOutcome.Forbidden => ApiProblems.Problem(status, "source-not-allowed", "Source address not allowed", result.Detail),
            _ => ApiProblems.Problem(status, "update-queue-unavailable", "Cannot take the update now", result.Detail),
        };
    }
}
