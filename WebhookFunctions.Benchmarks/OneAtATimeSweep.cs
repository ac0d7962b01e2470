using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Domain.Urls;
using WebhookFunctions.Domain.Webhooks;

namespace WebhookFunctions.Benchmarks;

/// <summary>
/// The seed's algorithm (docs/spec.md#7-background-worker), the baseline: every candidate in one tracked list, then one bot at a time,
/// getWebhookInfo, setWebhook when its rule says so, and a commit after each bot.
/// </summary>
internal sealed class OneAtATimeSweep(IDbContextFactory<WebhookDbContext> databases, ITelegramGateway telegram, WebhookUrlResolver urls, TimeProvider time)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var credentials = await db.Credentials.ActiveTelegram().Where(c => c.WebhookAutoRefresh).ToListAsync(cancellationToken);
        foreach (var credential in credentials)
        {
            try
            {
                var now = time.GetUtcNow().UtcDateTime;
                if (credential.WebhookLastChecked is { } last && now - last < TimeSpan.FromMinutes(4))
                {
                    continue;
                }
                var token = credential.RequireToken();
                var info = await telegram.GetWebhookInfoAsync(token, cancellationToken);
                var needsRefresh = info.Url.Length == 0
                    || (info.LastErrorDate is { } error && now - error < TimeSpan.FromHours(1))
                    || info.PendingUpdateCount > 100;
                if (needsRefresh)
                {
                    var url = await urls.ResolveAsync(credential.BotId, cancellationToken);
                    var secret = credential.WebhookSecret ?? WebhookSecret.Generate();
                    await telegram.SetWebhookAsync(token, new WebhookRegistration(url, secret, credential.WebhookMaxConnections, credential.WebhookAllowedUpdates, false), cancellationToken);
                    credential.WebhookUrl = url;
                    credential.WebhookSecret = secret;
                    credential.WebhookLastSetAt = now;
                }
                credential.WebhookLastChecked = now;
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (WebhookFunctions.Domain.Errors.WebhookException)
            {
                // The seed logs and goes on.
            }
        }
    }
}
