using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace WebhookFunctions.Tests.Functions;

/// <summary>An HTTP method and a route in one spelling: "POST /v1/api/webhooks/telegram/{botid}/webhook/set".</summary>
internal sealed record HttpRoute(string Method, string Route)
{
    public override string ToString() => $"{Method} {Route}";
}

/// <summary>
/// Compares the routes the Functions app declares (its generated functions.metadata, host.json's route prefix applied)
/// with the routes the self-host maps under that prefix. Parameter syntax is normalised: {botId}, {botId:guid} and
/// {BOTID?} are one parameter; literals compare without case, as routing matches them.
/// </summary>
internal static class RouteParity
{
    public static IReadOnlySet<HttpRoute> FromFunctionsMetadata(JsonArray metadata, string routePrefix) =>
        metadata.SelectMany(function => function!["bindings"]!.AsArray())
            .Where(binding => (string?)binding!["type"] == "httpTrigger")
            .SelectMany(binding => binding!["methods"]!.AsArray().Select(method =>
                new HttpRoute(method!.GetValue<string>().ToUpperInvariant(), Normalise($"{routePrefix}/{(string?)binding["route"]}"))))
            .ToHashSet();

    /// <summary>The self-host's route endpoints whose pattern lies under the prefix, one pair per HTTP method.</summary>
    public static IReadOnlySet<HttpRoute> FromEndpoints(IEnumerable<Endpoint> endpoints, string routePrefix)
    {
        var under = Normalise(routePrefix) + "/";
        return endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => new HttpRoute(m.ToUpperInvariant(), Normalise(e.RoutePattern))))
            .Where(r => r.Route.StartsWith(under, StringComparison.Ordinal))
            .ToHashSet();
    }

    /// <summary>Every pair only one host has, saying which; empty when they agree.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlySet<HttpRoute> functions, IReadOnlySet<HttpRoute> selfHost) =>
        functions.Except(selfHost).Select(r => $"only in the Functions app: {r}")
            .Concat(selfHost.Except(functions).Select(r => $"only in the self-host: {r}"))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string Normalise(string route) => Normalise(RoutePatternFactory.Parse(route));

    private static string Normalise(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content.ToLowerInvariant(),
            RoutePatternParameterPart parameter => "{" + parameter.Name.ToLowerInvariant() + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new NotSupportedException(part.GetType().Name),
        }))));
}
