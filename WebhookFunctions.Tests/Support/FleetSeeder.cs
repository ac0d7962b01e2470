using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Urls;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Support;

/// <summary>Many healthy bots at once: rows written in one save, each token known to the stand-in with this service's URL.</summary>
internal static class FleetSeeder
{
    /// <summary>Stores <paramref name="count"/> healthy bots last swept an hour before <paramref name="now"/>; returns their tokens.</summary>
    public static async Task<IReadOnlyList<string>> SeedHealthyAsync(WebhookDbContext db, BotApiStandIn botApi, int count, string domain, DateTime now)
    {
        var tokens = new List<string>(count);
        var before = now.AddHours(-1);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var i = 0; i < count; i++)
        {
            var token = $"{3_000_000 + i}:FLEETtoken{Guid.NewGuid():N}";
            var botId = Guid.NewGuid();
            var url = WebhookUrlResolver.Combine(domain, botId);
            botApi.AddBot(token).Url = url;
            tokens.Add(token);
            db.Credentials.Add(new BotPlatformCredential
            {
                Id = Guid.NewGuid(),
                BotId = botId,
                Credentials = BotToken.ToCredentialsJson(token),
                TelegramBotId = BotToken.TelegramBotId(token),
                CreatedAt = before,
                UpdatedAt = before,
                WebhookEnabled = true,
                WebhookUrl = url,
                WebhookSecret = $"fleet_secret_{i}",
                WebhookLastSetAt = before,
                WebhookLastChecked = before,
                LastSweptAt = before,
            });
        }
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return tokens;
    }

    /// <summary>How many getWebhookInfo calls each token got.</summary>
    public static Dictionary<string, int> InfoCallsByToken(BotApiStandIn botApi) =>
        botApi.CallsOf("getWebhookInfo").GroupBy(c => c.Token).ToDictionary(g => g.Key, g => g.Count());
}
