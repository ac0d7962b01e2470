using Cronos;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Checking;

/// <summary>The schedule must parse as NCRONTAB with seconds, and a sweep must end before its lease does.</summary>
internal sealed class CheckerOptionsValidator(IOptions<Telegram.TelegramOptions> telegram) : IValidateOptions<CheckerOptions>
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
        // The last bot started inside the budget may still need a getWebhookInfo, a short 429 wait and a
        // setWebhook (plus one more call to settle a race), each up to Telegram:Timeout, before the sweep ends.
        var longestTail = (3 * telegram.Value.Timeout) + options.MaxRetryAfterWait;
        if (options.TimeBudget + longestTail > options.LeaseDuration)
        {
            failures.Add($"Checker:LeaseDuration ({options.LeaseDuration}) must cover Checker:TimeBudget ({options.TimeBudget}) plus 3 x Telegram:Timeout ({telegram.Value.Timeout}) plus Checker:MaxRetryAfterWait ({options.MaxRetryAfterWait}), or a second sweep could start while the first still runs.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
