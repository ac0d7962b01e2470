using System.Diagnostics;

namespace WebhookFunctions.Tests.Startup;

// The built self-host started as a real process, as `dotnet WebhookFunctions.SelfHost.dll` after a publish, in
// Production with a clean environment: every bad setting is reported at once, exit code 1, no stack trace.
public sealed class StartupReportTests
{
    [Fact]
    public async Task Production_without_settings_names_every_missing_setting_and_exits_1()
    {
        var (exitCode, output, errors) = await RunSelfHostAsync(new());

        Assert.Equal(1, exitCode);
        foreach (var named in new[] { "Auth:ApiKeys:0", "Auth__ApiKeys__0", "Webhook:Domain", "Webhook__Domain", "UpdateQueue:ConnectionString", "UpdateQueue__ConnectionString" })
        {
            Assert.Contains(named, errors, StringComparison.Ordinal);
        }
        Assert.Contains("3 settings are missing or invalid", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_settings_of_several_areas_are_reported_together()
    {
        var (exitCode, output, errors) = await RunSelfHostAsync(new()
        {
            ["Webhook__Mode"] = "Sideways",
            ["Telegram__Timeout"] = "00:10:00",
            ["Auth__ApiKeys__0"] = new string('a', 24),
            ["UpdateQueue__ConnectionString"] = "UseDevelopmentStorage=true",
            ["UpdateQueue__Name"] = "Not_A_Queue",
        });

        Assert.Equal(1, exitCode);
        foreach (var named in new[] { "Webhook:Mode", "Webhook__Mode", "Telegram:Timeout", "Telegram__Timeout", "Auth:ApiKeys:0 is too weak", "UpdateQueue:Name" })
        {
            Assert.Contains(named, errors, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("   at ", output + errors, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunSelfHostAsync(Dictionary<string, string> settings)
    {
        var folder = Directory.CreateTempSubdirectory("webhookfunctions-startup-").FullName;
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "WebhookFunctions.SelfHost.dll"));
        // A clean environment: only what the runtime needs, Production, and the settings under test.
        start.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "DOTNET_ROOT", "TMPDIR" })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                start.Environment[name] = value;
            }
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            return (process.ExitCode, await output, await errors);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // The dotnet host running these tests (the CLI tells child processes where it is), else the one on PATH.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
}
