using Cronos;

namespace WebhookFunctions.Domain.Checking;

/// <summary>The checker's NCRONTAB schedule (seconds first, as the Functions TimerTrigger reads it), in UTC.</summary>
internal sealed class CheckerSchedule
{
    private readonly CronExpression _expression;

    private CheckerSchedule(CronExpression expression) => _expression = expression;

    /// <summary>Throws <see cref="CronFormatException"/> when the expression is not six fields of NCRONTAB.</summary>
    public static CheckerSchedule Parse(string expression) => new(CronExpression.Parse(expression, CronFormat.IncludeSeconds));

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => _expression.GetNextOccurrence(after, TimeZoneInfo.Utc);
}
