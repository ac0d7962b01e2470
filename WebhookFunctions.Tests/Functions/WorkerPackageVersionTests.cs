using System.Text.Json.Nodes;

namespace WebhookFunctions.Tests.Functions;

// Issue 9 item 3: the built app's deps.json carries one version of Worker, Worker.Core and Worker.Grpc.
public sealed class WorkerPackageVersionTests
{
    [Fact]
    public void Built_app_carries_worker_core_and_grpc_at_one_version()
    {
        var deps = FunctionsAppOutput.Read("WebhookFunctions.deps.json");

        Assert.Null(WorkerPackageSet.Problem(deps));
        Assert.All(WorkerPackageSet.Versions(deps).Values, v => Assert.Single(v));
    }

    [Fact]
    public void A_mix_of_2_51_and_2_52_is_refused_naming_each_version()
    {
        var deps = Doctored(
            ("Microsoft.Azure.Functions.Worker", "2.51.0"), ("Microsoft.Azure.Functions.Worker.Core", "2.52.0"), ("Microsoft.Azure.Functions.Worker.Grpc", "2.51.0"));

        var problem = WorkerPackageSet.Problem(deps);

        Assert.NotNull(problem);
        Assert.Contains("Microsoft.Azure.Functions.Worker 2.51.0", problem);
        Assert.Contains("Microsoft.Azure.Functions.Worker.Core 2.52.0", problem);
    }

    [Fact]
    public void A_missing_worker_package_is_refused()
    {
        var deps = Doctored(("Microsoft.Azure.Functions.Worker", "2.52.0"), ("Microsoft.Azure.Functions.Worker.Core", "2.52.0"));

        Assert.Contains("Microsoft.Azure.Functions.Worker.Grpc missing", WorkerPackageSet.Problem(deps));
    }

    [Fact]
    public void The_same_package_at_two_versions_is_refused()
    {
        var deps = Doctored(
            ("Microsoft.Azure.Functions.Worker", "2.52.0"), ("Microsoft.Azure.Functions.Worker.Core", "2.52.0"),
            ("Microsoft.Azure.Functions.Worker.Core", "2.51.0"), ("Microsoft.Azure.Functions.Worker.Grpc", "2.52.0"));

        Assert.Contains("Microsoft.Azure.Functions.Worker.Core 2.51.0 + 2.52.0", WorkerPackageSet.Problem(deps));
    }

    // The built deps.json with its worker entries replaced by these (everything else as built).
    private static JsonNode Doctored(params (string Package, string Version)[] entries)
    {
        var deps = FunctionsAppOutput.Read("WebhookFunctions.deps.json");
        var libraries = deps["libraries"]!.AsObject();
        foreach (var key in libraries.Select(l => l.Key).Where(k => WorkerPackageSet.Packages.Contains(k.Split('/')[0])).ToList())
        {
            libraries.Remove(key);
        }
        foreach (var (package, version) in entries)
        {
            libraries[$"{package}/{version}"] = new JsonObject { ["type"] = "package", ["serviceable"] = true };
        }
        return deps;
    }
}
