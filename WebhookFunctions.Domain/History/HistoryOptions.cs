using System.ComponentModel.DataAnnotations;

namespace WebhookFunctions.Domain.History;

/// <summary>How long history is kept and how it is pruned. Section "History".</summary>
internal sealed class HistoryOptions
{
    public const string Section = "History";

    /// <summary>Entries (and sweep runs) older than this are deleted by the sweep.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "History:Retention must be between {1} and {2}.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Rows deleted per statement while pruning, so a prune never holds a long lock.</summary>
    [Range(10, 100_000, ErrorMessage = "History:PruneBatchSize must be between {1} and {2}.")]
    public int PruneBatchSize { get; set; } = 1000;
}
