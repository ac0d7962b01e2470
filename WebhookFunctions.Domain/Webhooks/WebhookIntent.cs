using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Webhooks;

/// <summary>The columns of a credential that say what Telegram should hold, kept so a call Telegram refused can be undone.</summary>
internal sealed record WebhookIntent(
    bool Enabled,
    string? Url,
    string? Secret,
    int? MaxConnections,
    List<string>? AllowedUpdates,
    CheckOutcome? LastCheckOutcome,
    string? LastCheckReason)
{
    public static WebhookIntent Of(BotPlatformCredential c) =>
        new(c.WebhookEnabled, c.WebhookUrl, c.WebhookSecret, c.WebhookMaxConnections, c.WebhookAllowedUpdates?.ToList(), c.LastCheckOutcome, c.LastCheckReason);

    public void RestoreTo(BotPlatformCredential c)
    {
        c.WebhookEnabled = Enabled;
        c.WebhookUrl = Url;
        c.WebhookSecret = Secret;
        c.WebhookMaxConnections = MaxConnections;
        c.WebhookAllowedUpdates = AllowedUpdates?.ToList();
        c.LastCheckOutcome = LastCheckOutcome;
        c.LastCheckReason = LastCheckReason;
    }
}
