using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Startup;

/// <summary>
/// Runs a host, but first validates every setting: when any is missing or invalid, all of them are reported at once as
/// a plain list (on stderr and in the log, no stack trace) and the process exits with <see cref="SettingsExitCode"/>.
/// Both hosts' Program call <see cref="Run"/>.
/// </summary>
public static partial class StartupReport
{
    public const int SettingsExitCode = 1;

    // A setting as messages name it: Section:Key or Section:Key:N (capitalised, so URLs and examples do not match).
    [GeneratedRegex(@"(?<![\w:/.])[A-Z][A-Za-z0-9]*(?::[A-Za-z0-9]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex SettingName();

    // How ValidateDataAnnotations wraps a message; the inner message is the one that names the setting.
    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<message>.*)'\.$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    /// <summary>Builds and runs the host; returns the process exit code.</summary>
    public static int Run(Func<IHost> build, TextWriter? errorOutput = null)
    {
        using var host = build();
        if (Validate(host, errorOutput ?? Console.Error) is { } exitCode)
        {
            return exitCode;
        }
        host.Run();
        return 0;
    }

    /// <summary>Validates every option validated at start; null when all pass, else the exit code after reporting.</summary>
    internal static int? Validate(IHost host, TextWriter errorOutput)
    {
        try
        {
            host.Services.GetService<IStartupValidator>()?.Validate();
            return null;
        }
        catch (Exception e) when (Failures(e) is { Count: > 0 } failures)
        {
            var environment = host.Services.GetRequiredService<IHostEnvironment>();
            var report = Format(environment.ApplicationName, environment.EnvironmentName, failures);
            errorOutput.Write(report);
            errorOutput.Flush();
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupReport).FullName!);
            LogStopped(logger, failures.Count, report);
            return SettingsExitCode;
        }
    }

    /// <summary>Every failure message in an options validation error (one options type, or several at once); none for other errors.</summary>
    internal static IReadOnlyList<string> Failures(Exception error) => error switch
    {
        OptionsValidationException options => [.. options.Failures.Select(Unwrap)],
        AggregateException aggregate when aggregate.Flatten().InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. aggregate.Flatten().InnerExceptions.SelectMany(Failures).Distinct(StringComparer.Ordinal)],
        _ => [],
    };

    internal static string Format(string application, string environment, IReadOnlyList<string> failures)
    {
        var text = new StringBuilder();
        text.AppendLine($"{application} cannot start: {failures.Count} setting{(failures.Count == 1 ? " is" : "s are")} missing or invalid (environment {environment}).");
        text.AppendLine();
        foreach (var failure in failures)
        {
            text.AppendLine($"  - {failure}");
            if (SettingName().Match(failure) is { Success: true } setting)
            {
                text.AppendLine($"    set it as the environment variable {setting.Value.Replace(":", "__", StringComparison.Ordinal)}, on the command line as --{setting.Value}=..., or in appsettings.json");
            }
        }
        text.AppendLine();
        text.AppendLine("Fix every setting listed and start again.");
        return text.ToString();
    }

    private static string Unwrap(string failure) =>
        DataAnnotationFailure().Match(failure) is { Success: true } match ? match.Groups["message"].Value : failure;

    [LoggerMessage(Level = LogLevel.Critical, Message = "Start-up stopped: {FailureCount} settings are missing or invalid\n{Report}")]
    private static partial void LogStopped(ILogger logger, int failureCount, string report);
}
