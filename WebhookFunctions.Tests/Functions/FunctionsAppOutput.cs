using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebhookFunctions.Tests.Functions;

/// <summary>
/// The Functions app's build output (functions.metadata, deps.json, host.json). The test build records the folder the
/// project reference resolved to, so any configuration and output path works.
/// </summary>
internal static class FunctionsAppOutput
{
    public static string Folder { get; } = typeof(FunctionsAppOutput).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .SingleOrDefault(a => a.Key == "FunctionsAppOutput")?.Value
        ?? throw new InvalidOperationException("The test assembly does not say where the Functions app was built (AssemblyMetadata FunctionsAppOutput).");

    public static JsonNode Read(string fileName)
    {
        var path = Path.Combine(Folder, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Functions app's build output has no {fileName}; `dotnet test WebhookFunctions.Tests` builds it.", path);
        }
        return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
    }

    public static JsonArray FunctionsMetadata() => Read("functions.metadata").AsArray();

    /// <summary>host.json's extensions.http.routePrefix, or the Functions host's default "api" when it sets none.</summary>
    public static string RoutePrefix() => Read("host.json")["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
}
