using Cronos;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Checking;

/// <summary>The schedule must parse as NCRONTAB with seconds. (The lease needs no rule: a sweep renews it while it runs.)</summary>
internal sealed class CheckerOptionsValidator : IValidateOptions<CheckerOptions>
{
    public ValidateOptionsResult Validate(string? name, CheckerOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Schedule))
        {
            try
            {
                CheckerSchedule.Parse(options.Schedule);
            }
            catch (CronFormatException e)
            {
                failures.Add($"Checker:Schedule (or {CheckerOptions.ScheduleAlias}) '{options.Schedule}' is not an NCRONTAB expression with seconds (six fields, e.g. '{CheckerOptions.DefaultSchedule}'): {e.Message}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
