using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WebhookFunctions.Domain.Errors;

namespace WebhookFunctions.Domain.Api;

/// <summary>What every route does around its work: check the management key, turn failures into problems.</summary>
internal sealed partial class ApiPipeline(ManagementKeys keys, ILogger<ApiPipeline> logger)
{
    /// <summary>A management route: the key is required.</summary>
    public Task<IResult> ManagementAsync(HttpRequest request, Func<Task<IResult>> work) =>
        keys.IsAuthorized(request) ? RunAsync(request, work) : Task.FromResult(ApiProblems.Unauthorized());

    /// <summary>A route that authenticates its caller another way (the receiver's secret header).</summary>
    public async Task<IResult> RunAsync(HttpRequest request, Func<Task<IResult>> work)
    {
        try
        {
            return await work();
        }
        catch (WebhookException e)
        {
            return ApiProblems.From(e);
        }
        catch (BadHttpRequestException e)
        {
            // The server gave up on the request itself: a body sent too slowly (408), too large for the server's
            // own limit (413), or malformed framing. The client's doing, so a warning, never an error.
            LogBadRequest(logger, request.Method, request.Path.Value ?? "", e.StatusCode);
            return ApiProblems.BadHttpRequest(e.StatusCode);
        }
        catch (Exception e) when (e is not OperationCanceledException || !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The exception type only: messages from lower layers are not trusted to be free of secrets.
            LogUnhandled(logger, request.Method, request.Path.Value ?? "", e.GetType().FullName ?? "");
            return ApiProblems.Internal();
        }
    }

    /// <summary>The botId route value as a UUID, or a validation error naming bot_id.</summary>
    public static Guid ParseBotId(string botId) =>
        Guid.TryParse(botId, out var id) ? id : throw RequestValidationException.For("bot_id", "must be a UUID, e.g. 3f2c1e9a-8b7d-4c6e-9f10-2a3b4c5d6e7f");

    [LoggerMessage(Level = LogLevel.Warning, Message = "The server refused the request on {Method} {Path} with {StatusCode} (too slow, too large or malformed)")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, int statusCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, string exceptionType);
}
