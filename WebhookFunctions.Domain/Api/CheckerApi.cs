using Microsoft.AspNetCore.Http;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Errors;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Api;

/// <summary>The checker routes: run a sweep now, and the fleet overview. Both hosts bind the request and call these.</summary>
public sealed class CheckerApi
{
    private readonly ApiPipeline _pipeline;
    private readonly WebhookChecker _checker;
    private readonly FleetQuery _fleet;

    // Internal because its collaborators are: AddWebhookManagement registers how to build it.
    internal CheckerApi(ApiPipeline pipeline, WebhookChecker checker, FleetQuery fleet) => (_pipeline, _checker, _fleet) = (pipeline, checker, fleet);

    public const string ManualTrigger = "manual";
    public const int DefaultPageSize = 50;

    /// <summary>The largest page size accepted.</summary>
    public const int MaxPageSize = FleetQuery.MaxPageSize;

    /// <summary>The last page number accepted: (page - 1) x size must not overflow.</summary>
    public const int MaxPage = int.MaxValue / FleetQuery.MaxPageSize;

    /// <summary>POST /v1/api/webhooks/telegram/check: 200 with the sweep's report; 409 while another sweep runs.</summary>
    public Task<IResult> CheckAsync(HttpRequest request, CancellationToken cancellationToken) =>
        _pipeline.ManagementAsync(request, async () =>
        {
            var report = await _checker.SweepAsync(ManualTrigger, cancellationToken);
            return report.Status switch
            {
                SweepStatus.AlreadyRunning => ApiProblems.Problem(409, "sweep-running", "A sweep is already running", report.Detail!),
                SweepStatus.UrlUnavailable => ApiProblems.From(new WebhookUrlUnavailableException($"The sweep checked nothing: {report.Detail}")),
                _ => TypedResults.Json(report, ApiJson.Options),
            };
        });

    /// <summary>
    /// GET /v1/api/webhooks/telegram?page=1&amp;size=50[&amp;contested=true][&amp;state=failing][&amp;search=3f2c][&amp;order=state]:
    /// the fleet from the database, paged; order=state puts the least healthy first.
    /// </summary>
    public Task<IResult> FleetAsync(HttpRequest request, CancellationToken cancellationToken) =>
        _pipeline.ManagementAsync(request, async () =>
        {
            var page = QueryParameters.Int(request, "page", 1, 1, MaxPage);
            var size = QueryParameters.Int(request, "size", DefaultPageSize, 1, MaxPageSize);
            var filter = new FleetFilter(
                QueryParameters.OneOf(request, "state", BotStates.Names) is { } state ? SnakeCase.Parse<BotState>(state) : null,
                QueryParameters.Text(request, "search", 36, c => char.IsAsciiHexDigit(c) || c == '-', "must be up to 36 hex digits and dashes (part of a bot id)"),
                QueryParameters.OneOf(request, "order", FleetOrders) == "state",
                QueryBool(request, "contested"));
            return TypedResults.Json(await _fleet.GetPageAsync(page, size, filter, cancellationToken), ApiJson.Options);
        });

    /// <summary>The fleet list's orders: by bot id (the default), or the least healthy first.</summary>
    public static IReadOnlyList<string> FleetOrders { get; } = ["bot_id", "state"];

    private static bool? QueryBool(HttpRequest request, string name)
    {
        if (!request.Query.TryGetValue(name, out var values))
        {
            return null;
        }
        return values.Count == 1 && values[0] is "true" or "false"
            ? values[0] == "true"
            : throw RequestValidationException.For(name, "must be true or false");
    }
}
