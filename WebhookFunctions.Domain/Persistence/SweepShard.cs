using Microsoft.EntityFrameworkCore;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>
/// One shard of a sharded sweep: a key range of due bots (after <see cref="AfterId"/>, up to and including
/// <see cref="ThroughId"/>), checked by whichever instance takes its queue message. Keyed by run and shard, so a
/// redelivered message finds its shard already finished and checks nothing.
/// </summary>
internal sealed class SweepShard
{
    public Guid RunId { get; set; }
    public int ShardKey { get; set; }

    /// <summary>Exclusive lower bound of the key range; null: from the first bot.</summary>
    public Guid? AfterId { get; set; }

    /// <summary>Inclusive upper bound of the key range.</summary>
    public Guid ThroughId { get; set; }

    /// <summary>Due bots in the range when the run was dispatched.</summary>
    public int Bots { get; set; }

    public ShardStatus Status { get; set; } = ShardStatus.Pending;
    public int Attempts { get; set; }

    /// <summary>The instance checking it, and until when its claim holds (another may take it after).</summary>
    public string? Holder { get; set; }
    public DateTime? ClaimedUntil { get; set; }

    public int Checked { get; set; }
    public int LeftForNextSweep { get; set; }

    /// <summary>The shard's counts by outcome (and superseded), as in sweep_run.counts.</summary>
    public string Counts { get; set; } = "{}";
    public DateTime? FinishedAt { get; set; }

    /// <summary>The type of the last failure (never a message: it may quote values).</summary>
    public string? LastError { get; set; }
}

/// <summary>The state of a <see cref="SweepShard"/>, stored in sweep_shard.status as its snake_case name.</summary>
internal enum ShardStatus
{
    Pending,
    Running,
    Done,

    /// <summary>Failed Sharding:MaxDeliveries times: not checked, reported in the run and logged.</summary>
    Poisoned,

    /// <summary>Taken after its run lost the checker lease (died, or another sweep started): not checked, left for the next sweep.</summary>
    Abandoned,
}

/// <summary>Questions about a <see cref="ShardStatus"/>.</summary>
internal static class ShardStatuses
{
    public static bool Finished(ShardStatus status) => status is ShardStatus.Done or ShardStatus.Poisoned or ShardStatus.Abandoned;
}

/// <summary>The sharding tables in the store's model; <see cref="WebhookDbContext"/> applies it.</summary>
internal static class ShardModel
{
    public static ModelBuilder ConfigureSharding(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SweepShard>(entity =>
        {
            entity.ToTable("sweep_shard");
            entity.HasKey(s => new { s.RunId, s.ShardKey });
            entity.Property(s => s.Status).HasMaxLength(16);
            entity.Property(s => s.Holder).HasMaxLength(128);
            entity.Property(s => s.Counts).HasMaxLength(1024);
            entity.Property(s => s.LastError).HasMaxLength(256);
        });
        modelBuilder.Entity<SweepRun>(entity =>
        {
            // A sharded run's row: found by its run id when its last shard finishes.
            entity.HasIndex(s => s.RunId).IsUnique().HasFilter("run_id IS NOT NULL").HasDatabaseName("ux_sweep_run_run_id");
        });
        return modelBuilder;
    }
}
