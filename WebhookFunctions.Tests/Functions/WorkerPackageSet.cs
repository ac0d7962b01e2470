using System.Text.Json.Nodes;

namespace WebhookFunctions.Tests.Functions;

/// <summary>
/// The isolated-worker packages that must ship at one version: a mix (Worker and Grpc 2.51.0 with Core 2.52.0) builds,
/// then fails every invocation under a real host with a MissingMethodException.
/// </summary>
internal static class WorkerPackageSet
{
    public static readonly string[] Packages =
        ["Microsoft.Azure.Functions.Worker", "Microsoft.Azure.Functions.Worker.Core", "Microsoft.Azure.Functions.Worker.Grpc"];

    /// <summary>Each of <see cref="Packages"/> in the deps.json's libraries, with every version it appears at.</summary>
    public static IReadOnlyDictionary<string, string[]> Versions(JsonNode deps)
    {
        var libraries = deps["libraries"]?.AsObject() ?? throw new InvalidOperationException("deps.json has no libraries.");
        var found = libraries.Select(l => l.Key.Split('/', 2)).Where(p => p.Length == 2).ToLookup(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        return Packages.ToDictionary(p => p, p => found[p].Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>Why the set is not coherent, or null when all three are there at one version.</summary>
    public static string? Problem(JsonNode deps)
    {
        var versions = Versions(deps);
        var listed = string.Join(", ", versions.Select(v => $"{v.Key} {(v.Value.Length == 0 ? "missing" : string.Join(" + ", v.Value))}"));
        var missing = versions.Any(v => v.Value.Length == 0);
        var distinct = versions.Values.SelectMany(v => v).Distinct(StringComparer.Ordinal).Count();
        return missing || distinct != 1 ? $"The worker packages must be present at one version: {listed}." : null;
    }
}
