using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using WebhookFunctions.Domain.Json;

namespace WebhookFunctions.Domain.Telegram;

/// <summary>
/// Calls the Bot API through Telegram.Bot over the "telegram" HttpClient (its logging removed: the token is in
/// every URL). Telegram.Bot's own 429 retry is off (it sleeps on the real clock): an API caller gets 429 with
/// Retry-After at once, and the checker applies <see cref="RateLimitRetry"/>, the one retry policy, with its own budget.
/// </summary>
internal sealed class TelegramGateway(IHttpClientFactory httpClientFactory, IOptions<TelegramOptions> options, TelegramMetrics metrics, TimeProvider time) : ITelegramGateway
{
    public const string HttpClientName = "telegram";

    public Task SetWebhookAsync(string token, WebhookRegistration registration, CancellationToken cancellationToken) =>
        CallAsync("setWebhook", token, (client, ct) => client.SetWebhook(
            registration.Url,
            maxConnections: registration.MaxConnections,
            allowedUpdates: registration.AllowedUpdates?.Select(TelegramUpdateTypes.Parse).ToArray(),
            dropPendingUpdates: registration.DropPendingUpdates,
            secretToken: registration.SecretToken,
            cancellationToken: ct), cancellationToken);

    public Task<TelegramWebhookInfo> GetWebhookInfoAsync(string token, CancellationToken cancellationToken) =>
        CallAsync("getWebhookInfo", token, async (client, ct) =>
        {
            var info = await client.GetWebhookInfo(ct);
            return new TelegramWebhookInfo(
                info.Url ?? "",
                info.HasCustomCertificate,
                info.PendingUpdateCount,
                info.IpAddress,
                AsUtc(info.LastErrorDate),
                info.LastErrorMessage,
                AsUtc(info.LastSynchronizationErrorDate),
                info.MaxConnections,
                info.AllowedUpdates?.Select(TelegramUpdateTypes.ToName).ToArray());
        }, cancellationToken);

    public Task DeleteWebhookAsync(string token, bool dropPendingUpdates, CancellationToken cancellationToken) =>
        CallAsync("deleteWebhook", token, (client, ct) => client.DeleteWebhook(dropPendingUpdates, ct), cancellationToken);

    private Task<bool> CallAsync(string method, string token, Func<TelegramBotClient, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        CallAsync(method, token, async (client, ct) =>
        {
            await call(client, ct);
            return true;
        }, cancellationToken);

    /// <summary>Every Bot API call passes here once: measured by method and result.</summary>
    private async Task<T> CallAsync<T>(string method, string token, Func<TelegramBotClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var result = TelegramMetrics.Ok;
        try
        {
            return await TranslatedCallAsync(method, token, call, cancellationToken);
        }
        catch (Exception e)
        {
            result = e switch
            {
                TelegramApiException failure => SnakeCase.Of(FailureClasses.Of(failure.Failure)),
                OperationCanceledException => TelegramMetrics.Cancelled,
                _ => SnakeCase.Of(FailureClass.Unexpected),
            };
            throw;
        }
        finally
        {
            metrics.Called(method, result, time.GetElapsedTime(started));
        }
    }

    private async Task<T> TranslatedCallAsync<T>(string method, string token, Func<TelegramBotClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var clientOptions = new TelegramBotClientOptions(token, settings.IsOfficialApi ? null : settings.ApiBaseUrl)
        {
            RetryThreshold = 0,
            RetryCount = 0,
        };
        var client = new TelegramBotClient(clientOptions, httpClientFactory.CreateClient(HttpClientName), cancellationToken);
        try
        {
            return await call(client, cancellationToken);
        }
        catch (ApiRequestException e)
        {
            throw Translate(method, e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(method, settings);
        }
        catch (RequestException e)
        {
            throw Translate(method, e, settings);
        }
        catch (HttpRequestException e)
        {
            throw Network(method, e);
        }
    }

    private static TelegramApiException Translate(string method, ApiRequestException e)
    {
        // e.Message is Telegram's description ("Unauthorized", "Bad Request: bad webhook: ..."): no token in it.
        var description = e.Message;
        return e.ErrorCode switch
        {
            401 or 404 => new TelegramApiException(TelegramFailure.TokenRejected, method,
                $"Telegram rejected the bot token ({e.ErrorCode} {description}).", e.ErrorCode),
            429 => new TelegramApiException(TelegramFailure.RateLimited, method,
                $"Telegram rate-limited {method}: {description}", e.ErrorCode,
                TimeSpan.FromSeconds(Math.Max(1, e.Parameters?.RetryAfter ?? 1))),
            >= 500 => new TelegramApiException(TelegramFailure.Unavailable, method,
                $"The Bot API failed {method} ({e.ErrorCode} {description}).", e.ErrorCode),
            _ => new TelegramApiException(TelegramFailure.BadRequest, method, description, e.ErrorCode),
        };
    }

    private static TelegramApiException Translate(string method, RequestException e, TelegramOptions settings)
    {
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException or TaskCanceledException)
            {
                return TimedOut(method, settings);
            }
            if (inner is HttpRequestException http)
            {
                return Network(method, http);
            }
        }
        var status = e.HttpStatusCode is { } code ? $" (HTTP {(int)code})" : "";
        return new TelegramApiException(TelegramFailure.Unavailable, method,
            $"The Bot API gave no usable answer to {method}{status}.", e.HttpStatusCode is { } c ? (int)c : null);
    }

    private static TelegramApiException TimedOut(string method, TelegramOptions settings) =>
        new(TelegramFailure.Timeout, method, $"The Bot API did not answer {method} within {settings.Timeout.TotalSeconds:0.#} s.");

    private static TelegramApiException Network(string method, HttpRequestException e)
    {
        // Only the error class goes into the message: an HttpRequestException can name the request URI.
        var reason = e.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : e.HttpRequestError.ToString();
        return new TelegramApiException(TelegramFailure.Network, method, $"Could not reach the Bot API for {method} ({reason}).");
    }

    private static DateTime? AsUtc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc) : null;
}
