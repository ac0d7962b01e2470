using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>The webhook store. Each provider has a subclass that owns its migrations.</summary>
internal abstract class WebhookDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<BotPlatformCredential> Credentials => Set<BotPlatformCredential>();
    public DbSet<SweepLease> SweepLeases => Set<SweepLease>();
    public DbSet<ReceivedUpdate> ReceivedUpdates => Set<ReceivedUpdate>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every stored time is UTC; SQLite hands DateTime back unspecified, so say so on the way in.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        // States are enums in code and keep the snake_case text they were stored as when they were strings.
        StoreAsText<CheckOutcome>(configurationBuilder);
        StoreAsText<BotState>(configurationBuilder);
        StoreAsText<SweepStatus>(configurationBuilder);
        StoreAsText<ShardStatus>(configurationBuilder);
        StoreAsText<HistoryKind>(configurationBuilder);
        StoreAsText<HistoryActor>(configurationBuilder);
    }

    private static void StoreAsText<TEnum>(ModelConfigurationBuilder configurationBuilder) where TEnum : struct, Enum
    {
        configurationBuilder.Properties<TEnum>().HaveConversion<SnakeCaseConverter<TEnum>>();
        configurationBuilder.Properties<TEnum?>().HaveConversion<SnakeCaseConverter<TEnum>>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BotPlatformCredential>(entity =>
        {
            entity.ToTable("bot_platform_credential");
            entity.HasKey(c => c.Id);
            entity.Property(c => c.Platform).HasMaxLength(32);
            entity.Property(c => c.Credentials).HasMaxLength(4000);
            entity.Property(c => c.WebhookUrl).HasMaxLength(2048);
            entity.Property(c => c.WebhookAutoRefresh).HasDefaultValue(true).ValueGeneratedNever();
            entity.Property(c => c.WebhookSecret).HasMaxLength(256);
            entity.Property(c => c.LastCheckOutcome).HasMaxLength(32);
            entity.Property(c => c.LastCheckReason).HasMaxLength(64);
            entity.Property(c => c.LastError).HasMaxLength(1024);
            entity.Property(c => c.ContestedHost).HasMaxLength(300);
            entity.Property(c => c.ConcurrencyStamp).IsConcurrencyToken();
            entity.Property(c => c.TelegramBotId).HasMaxLength(20);
            // One Telegram bot under two bot ids would have its webhook moved between them on every sweep.
            entity.HasIndex(c => c.TelegramBotId)
                .IsUnique()
                .HasFilter("is_active = 1 AND telegram_bot_id IS NOT NULL")
                .HasDatabaseName("ux_bot_platform_credential_telegram_bot");
            // At most one active credential per bot and platform.
            entity.HasIndex(c => new { c.BotId, c.Platform })
                .IsUnique()
                .HasFilter("is_active = 1")
                .HasDatabaseName("ux_bot_platform_credential_active");
            entity.HasIndex(c => new { c.Platform, c.IsActive, c.WebhookAutoRefresh, c.WebhookEnabled })
                .HasDatabaseName("ix_bot_platform_credential_sweep");
        });

        modelBuilder.Entity<SweepLease>(entity =>
        {
            entity.ToTable("sweep_lease");
            entity.HasKey(l => l.Name);
            entity.Property(l => l.Name).HasMaxLength(64);
            entity.Property(l => l.Holder).HasMaxLength(128);
            entity.HasData(new SweepLease { Name = SweepLease.CheckerLease, Holder = null, ExpiresAt = DateTime.SpecifyKind(DateTime.UnixEpoch, DateTimeKind.Utc) });
        });

        modelBuilder.Entity<ReceivedUpdate>(entity =>
        {
            entity.ToTable("received_update");
            entity.HasKey(u => new { u.BotId, u.UpdateId });
            entity.HasIndex(u => u.ReceivedAt);
        });

        modelBuilder.ConfigureHistory();
        modelBuilder.ConfigureSharding();
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        foreach (var entry in ChangeTracker.Entries<BotPlatformCredential>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.ConcurrencyStamp = Guid.NewGuid();
            }
        }
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>A named lease row: whoever holds it unexpired runs the sweep.</summary>
internal sealed class SweepLease
{
    public const string CheckerLease = "webhook-checker";

    public string Name { get; set; } = "";
    public string? Holder { get; set; }
    public DateTime ExpiresAt { get; set; }
}

/// <summary>An update already handed to the queue, remembered for a while so a redelivery is enqueued once.</summary>
internal sealed class ReceivedUpdate
{
    public Guid BotId { get; set; }
    public long UpdateId { get; set; }
    public DateTime ReceivedAt { get; set; }

    /// <summary>When it went on the queue; null while a delivery is still enqueuing it (its claim, dated <see cref="ReceivedAt"/>).</summary>
    public DateTime? EnqueuedAt { get; set; }
}

/// <summary>SQLite flavour of the store (the embedded default).</summary>
internal sealed class SqliteWebhookDbContext(DbContextOptions<SqliteWebhookDbContext> options) : WebhookDbContext(options);

/// <summary>SQL Server / Azure SQL flavour of the store.</summary>
internal sealed class SqlServerWebhookDbContext(DbContextOptions<SqlServerWebhookDbContext> options) : WebhookDbContext(options);
