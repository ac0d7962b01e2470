using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Credentials;

/// <summary>
/// Finds active credentials whose Telegram bot another bot id's active credential holds: stored before the unique
/// index existed, the migration left their telegram_bot_id empty. Fills the column in for those that no longer clash
/// (the other was deactivated). Run at start-up and by every sweep; reports, never fails either.
/// </summary>
internal sealed partial class TelegramBotAudit(IDbContextFactory<WebhookDbContext> databases, ILogger<TelegramBotAudit> logger)
{
    public async Task<IReadOnlyList<DuplicateTelegramBot>> FindDuplicatesAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var unclaimed = await db.Credentials.ActiveTelegram().Where(c => c.TelegramBotId == null).OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken);
        var duplicates = new List<DuplicateTelegramBot>();
        foreach (var credential in unclaimed)
        {
            if (BotToken.TelegramBotId(BotToken.Read(credential.Credentials)) is not { } telegramBotId)
            {
                continue;
            }
            var holder = await db.Credentials.AsNoTracking().ActiveTelegram()
                .Where(c => c.TelegramBotId == telegramBotId)
                .Select(c => (Guid?)c.BotId)
                .FirstOrDefaultAsync(cancellationToken);
            if (holder is { } heldBy)
            {
                duplicates.Add(new DuplicateTelegramBot(credential.BotId, heldBy) { CredentialId = credential.Id });
                LogDuplicate(logger, credential.BotId, heldBy);
                continue;
            }
            credential.TelegramBotId = telegramBotId;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Claimed meanwhile (a registration, another replica): the next audit reports it.
                db.ChangeTracker.Clear();
            }
        }
        return duplicates;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {BotId} has the same Telegram bot as bot {HeldByBotId} (stored before duplicates were refused); the checker leaves bot {BotId} alone. Deactivate one of them with DELETE /v1/api/bots/{{botId}}/platforms/telegram")]
    private static partial void LogDuplicate(ILogger logger, Guid botId, Guid heldByBotId);
}

/// <summary>An active credential whose Telegram bot another bot id holds. Names bot ids only, never a token.</summary>
public sealed record DuplicateTelegramBot(Guid BotId, Guid HeldByBotId)
{
    [System.Text.Json.Serialization.JsonIgnore]
    internal Guid CredentialId { get; init; }
}

/// <summary>Reports stored duplicates once the database is migrated, as the host starts; a failure is logged, not fatal.</summary>
internal sealed partial class TelegramBotAuditOnStart(TelegramBotAudit audit, ILogger<TelegramBotAuditOnStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await audit.FindDuplicatesAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAuditFailed(logger, e.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for credentials sharing a Telegram bot at start-up ({ErrorType}); the sweep looks again")]
    private static partial void LogAuditFailed(ILogger logger, string errorType);
}
