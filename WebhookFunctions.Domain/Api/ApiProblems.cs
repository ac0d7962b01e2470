using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Domain.Api;

/// <summary>The one mapping from a failure to an RFC 9457 problem response, shared by both hosts.</summary>
internal static class ApiProblems
{
    private const string TypeBase = "https://webhookfunctions.dev/problems/";

    public static IResult From(WebhookException error) => error switch
    {
        RequestValidationException e => Validation(e),
        InvalidInputException e => Validation(WireRules.ToValidation(e)),
        BotNotFoundException e => Problem(404, "bot-not-found", "Bot not found", e.Message),
        InvalidCredentialException e => Problem(422, "invalid-credential", "The stored credential is not usable",
            $"The Telegram credential of bot {e.BotId} has no well-formed token ({BotToken.FormatRule}); replace it with PUT {ApiRoutes.Credential(e.BotId)}."),
        CredentialAlreadyActiveException e => Problem(409, "conflict", "Conflict",
            $"Bot {e.BotId} already has an active Telegram credential; replace it with PUT {ApiRoutes.Credential(e.BotId)}."),
        WebhookTakeoverRefusedException e => Problem(409, "webhook-takeover-refused", "The webhook belongs to a deployed service", e.Message),
        TelegramBotTakenException e => Problem(409, "telegram-bot-taken", "The Telegram bot belongs to another bot id",
            $"This token's Telegram bot is already registered for bot {e.HeldByBotId}; one Telegram bot can serve one bot id. Deactivate it there first (DELETE {ApiRoutes.Credential(e.HeldByBotId)}), or use the token of another Telegram bot.",
            new Dictionary<string, object?> { ["held_by_bot_id"] = e.HeldByBotId }),
        PayloadTooLargeException e => Problem(413, "payload-too-large", "Request body too large", e.Message),
        UnsupportedMediaTypeException e => Problem(415, "unsupported-media-type", "Unsupported media type", e.Message),
        WebhookUrlUnavailableException e => Problem(503, "webhook-url-unavailable", "The public webhook URL is not available", e.Message),
        TelegramApiException e => Telegram(e),
        _ => Problem(500, "internal", "Internal error", "The request failed; see the service log."),
    };

    public static IResult Unauthorized() =>
        Problem(401, "unauthorized", "Unauthorized", "Send a management key in the x-functions-key header (or the code query parameter).");

    /// <summary>The server (Kestrel) refused the request while the route read it.</summary>
    public static IResult BadHttpRequest(int status) => status switch
    {
        StatusCodes.Status408RequestTimeout => Problem(408, "request-timeout", "Request body too slow",
            "The request body arrived too slowly (the server's minimum data rate); send it again at once."),
        StatusCodes.Status413PayloadTooLarge => Problem(413, "payload-too-large", "Request body too large", "The request body is larger than the server accepts."),
        _ => Problem(400, "bad-request", "Malformed request", "The request could not be read (bad framing or encoding)."),
    };

    public static IResult Internal() => Problem(500, "internal", "Internal error", "The request failed; see the service log.");

    public static IResult Problem(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null, IHeaderDictionary? headers = null)
    {
        var problem = new ProblemDetails { Type = TypeBase + type, Title = title, Status = status, Detail = detail };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }
        var result = TypedResults.Json(problem, ApiJson.Options, "application/problem+json", status);
        return headers is null ? result : new WithHeaders(result, headers);
    }

    private static IResult Validation(RequestValidationException e) =>
        Problem(400, "validation", "The request is not valid", e.Message, new Dictionary<string, object?> { ["errors"] = e.Errors });

    private static IResult Telegram(TelegramApiException e)
    {
        var extensions = new Dictionary<string, object?> { ["telegram_method"] = e.Method, ["telegram_error_code"] = e.ErrorCode };
        return e.Failure switch
        {
            TelegramFailure.TokenRejected => Problem(422, "telegram-token-rejected", "Telegram rejected the bot token",
                $"{e.Message} The token was revoked or is wrong: get the current one from @BotFather and store it with PUT /v1/api/bots/{{botId}}/platforms/telegram.", extensions),
            TelegramFailure.RateLimited => Problem(429, "telegram-rate-limited", "Telegram rate limit", e.Message,
                new Dictionary<string, object?>(extensions) { ["retry_after"] = (int)(e.RetryAfter?.TotalSeconds ?? 1) },
                new HeaderDictionary { ["Retry-After"] = ((int)(e.RetryAfter?.TotalSeconds ?? 1)).ToString(CultureInfo.InvariantCulture) }),
            TelegramFailure.BadRequest => Problem(422, "telegram-bad-request", "Telegram refused the request", e.Message, extensions),
            TelegramFailure.Timeout => Problem(504, "telegram-timeout", "Telegram did not answer in time", e.Message, extensions),
            TelegramFailure.Network => Problem(502, "telegram-unreachable", "Telegram could not be reached", e.Message, extensions),
            _ => Problem(502, "telegram-unavailable", "Telegram failed", e.Message, extensions),
        };
    }

    private sealed class WithHeaders(IResult inner, IHeaderDictionary headers) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            foreach (var (key, value) in headers)
            {
                httpContext.Response.Headers[key] = value;
            }
            return inner.ExecuteAsync(httpContext);
        }
    }
}
