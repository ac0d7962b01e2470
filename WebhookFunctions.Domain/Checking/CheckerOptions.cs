using System.ComponentModel.DataAnnotations;

namespace WebhookFunctions.Domain.Checking;

/// <summary>How often and how hard the checker sweeps the fleet. Section "Checker"; Schedule alias WEBHOOK_CHECK_SCHEDULE.</summary>
internal sealed class CheckerOptions
{
    public const string Section = "Checker";

    /// <summary>The app setting the Functions TimerTrigger reads as %WEBHOOK_CHECK_SCHEDULE%.</summary>
    public const string ScheduleAlias = "WEBHOOK_CHECK_SCHEDULE";
    public const string DefaultSchedule = "0 */5 * * * *";

    /// <summary>NCRONTAB with seconds (six fields), in UTC.</summary>
    [Required(ErrorMessage = "Checker:Schedule (or WEBHOOK_CHECK_SCHEDULE) is required.")]
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>
    /// Whether the self-host's scheduler sweeps. Off where something else triggers sweeps (an external cron calling
    /// POST .../check); the Functions timer is switched off with AzureWebJobs.CheckWebhooksOnSchedule.Disabled instead.
    /// </summary>
    public bool ScheduleEnabled { get; set; } = true;

    /// <summary>A bot checked more recently than this is left out of a sweep.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Checker:MinCheckInterval must be between {1} and {2}.")]
    public TimeSpan MinCheckInterval { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>A delivery error younger than this (and newer than the last set) triggers a refresh.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Checker:RecentErrorWindow must be between {1} and {2}.")]
    public TimeSpan RecentErrorWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>More pending updates than this triggers a refresh (at most once per <see cref="PendingRefreshCooldown"/>).</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Checker:PendingUpdateThreshold must be 0 or more.")]
    public int PendingUpdateThreshold { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Checker:PendingRefreshCooldown must be between {1} and {2}.")]
    public TimeSpan PendingRefreshCooldown { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Bots checked at the same time.</summary>
    [Range(1, 256, ErrorMessage = "Checker:MaxConcurrency must be between {1} and {2}.")]
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>Candidates read per query and outcomes written per statement.</summary>
    [Range(1, 2000, ErrorMessage = "Checker:BatchSize must be between {1} and {2}.")]
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// The most per-bot lines a sweep's report carries, bots not healthy first; the counts cover every bot. Keeps a
    /// sweep's memory and the check endpoint's answer independent of the fleet's size.
    /// </summary>
    [Range(0, 100_000, ErrorMessage = "Checker:ReportMaxBots must be between {1} and {2}.")]
    public int ReportMaxBots { get; set; } = 1_000;

    /// <summary>No bot is started after this much of a sweep; the rest waits for the next sweep.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Checker:TimeBudget must be between {1} and {2}.")]
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>
    /// How long a sweep's lease lasts unless renewed; a running sweep renews it every third of this, so it only bounds
    /// how long a sweep that died blocks the next one. A renewal (one database statement) must fit in a third of it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", "1.00:00:00", ErrorMessage = "Checker:LeaseDuration must be between {1} and {2}.")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>A 429 whose retry_after is at most this is waited out once; a longer one defers the bot to the next sweep.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Checker:MaxRetryAfterWait must be between {1} and {2}.")]
    public TimeSpan MaxRetryAfterWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A bot whose webhook another client moves again within this many checks after the checker set it is contested;
    /// a contested bot is back to normal once the webhook stays ours this many checks after a probe.
    /// </summary>
    [Range(1, 100, ErrorMessage = "Checker:ContestedAfterSweeps must be between {1} and {2}.")]
    public int ContestedAfterSweeps { get; set; } = 2;

    /// <summary>The longest wait, in sweeps, between probes of a contested bot (the wait doubles from 1 up to this).</summary>
    [Range(1, 2016, ErrorMessage = "Checker:ContestedMaxBackoffSweeps must be between {1} and {2}.")]
    public int ContestedMaxBackoffSweeps { get; set; } = 12;
}
