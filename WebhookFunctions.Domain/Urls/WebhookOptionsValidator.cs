using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Telegram;

namespace WebhookFunctions.Domain.Urls;

/// <summary>In Domain mode the domain must be a bare https origin on a port Telegram delivers to.</summary>
// A bad Webhook:Mode, found while the app was composed, fails here: start-up reports it with every other bad setting.
internal sealed class WebhookOptionsValidator(WebhookEnvironment environment, string? invalidMode, IOptions<TelegramOptions> telegram) : IValidateOptions<WebhookOptions>
{
    private static readonly int[] OfficialApiPorts = [443, 80, 88, 8443];
    private const string Setting = "Webhook:Domain (or WEBHOOK_DOMAIN)";

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        if (invalidMode is not null)
        {
            return Fail(invalidMode);
        }
        if (environment.Mode != WebhookMode.Domain)
        {
            return ValidateOptionsResult.Success;
        }
        if (string.IsNullOrWhiteSpace(options.Domain))
        {
            return Fail($"{Setting} is required in Domain mode ({environment.Reason}): set it to the public https origin of this app, e.g. https://bots.example.com (in Azure, WEBSITE_HOSTNAME supplies it), or set Webhook:Mode=Tunnel to use ngrok.");
        }
        if (!Uri.TryCreate(options.Domain, UriKind.Absolute, out var uri))
        {
            return Fail($"{Setting} must be an absolute https URL such as https://bots.example.com, not '{options.Domain}'.");
        }
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return Fail($"{Setting} must use https (Telegram delivers webhooks only over HTTPS), not '{options.Domain}'.");
        }
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return Fail($"{Setting} must be a bare origin without path, query or credentials (the service appends {WebhookOptions.ReceivePathPrefix}{{botId}}), not '{options.Domain}'.");
        }
        if (telegram.Value.IsOfficialApi && !OfficialApiPorts.Contains(uri.Port))
        {
            return Fail($"{Setting} uses port {uri.Port}; the official Bot API delivers only to ports 443, 80, 88 and 8443 (a self-hosted Bot API server set in Telegram:ApiBaseUrl allows any), not '{options.Domain}'.");
        }
        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult Fail(string message) => ValidateOptionsResult.Fail(message);
}
