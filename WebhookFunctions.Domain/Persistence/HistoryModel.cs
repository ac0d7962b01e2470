using Microsoft.EntityFrameworkCore;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>The history tables in the store's model; <see cref="WebhookDbContext"/> applies it.</summary>
internal static class HistoryModel
{
    public const int MaxMessageLength = 1024;

    public static ModelBuilder ConfigureHistory(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WebhookHistoryEntry>(entity =>
        {
            entity.ToTable("webhook_history");
            entity.HasKey(h => h.Id);
            entity.Property(h => h.Kind).HasMaxLength(32);
            entity.Property(h => h.Actor).HasMaxLength(16);
            entity.Property(h => h.Reason).HasMaxLength(64);
            entity.Property(h => h.FromState).HasMaxLength(32);
            entity.Property(h => h.ToState).HasMaxLength(32);
            entity.Property(h => h.Url).HasMaxLength(2048);
            entity.Property(h => h.Message).HasMaxLength(MaxMessageLength);
            // A bot's page, newest first: WHERE bot_id = @b AND id < @before ORDER BY id DESC.
            entity.HasIndex(h => new { h.BotId, h.Id }).HasDatabaseName("ix_webhook_history_bot");
            entity.HasIndex(h => h.At).HasDatabaseName("ix_webhook_history_at");
            // Each delivery error Telegram reports is recorded once, however many sweeps see it.
            entity.HasIndex(h => new { h.BotId, h.TelegramErrorAt })
                .IsUnique()
                .HasFilter("telegram_error_at IS NOT NULL")
                .HasDatabaseName("ux_webhook_history_delivery_error");
        });

        modelBuilder.Entity<SweepRun>(entity =>
        {
            entity.ToTable("sweep_run");
            entity.HasKey(s => s.Id);
            entity.Property(s => s.Trigger).HasMaxLength(32);
            entity.Property(s => s.Status).HasMaxLength(32);
            entity.Property(s => s.Counts).HasMaxLength(1024);
            entity.Property(s => s.Detail).HasMaxLength(MaxMessageLength);
            entity.HasIndex(s => s.StartedAt).HasDatabaseName("ix_sweep_run_started_at");
        });
        return modelBuilder;
    }
}
