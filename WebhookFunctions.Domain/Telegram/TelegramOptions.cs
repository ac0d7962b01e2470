using System.ComponentModel.DataAnnotations;

namespace WebhookFunctions.Domain.Telegram;

/// <summary>Where the Bot API is and how long to wait for it. Section "Telegram".</summary>
internal sealed class TelegramOptions
{
    public const string Section = "Telegram";
    public const string OfficialApiBaseUrl = "https://api.telegram.org";

    /// <summary>The Bot API server: the official one, or a self-hosted telegram-bot-api server.</summary>
    [Required(ErrorMessage = "Telegram:ApiBaseUrl is required, e.g. https://api.telegram.org.")]
    public string ApiBaseUrl { get; set; } = OfficialApiBaseUrl;

    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = "Telegram:Timeout must be between {1} and {2}.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The official API accepts webhooks only on ports 443, 80, 88 and 8443; a self-hosted server takes any.</summary>
    public bool IsOfficialApi =>
        Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) && uri.Host.Equals("api.telegram.org", StringComparison.OrdinalIgnoreCase);
}
