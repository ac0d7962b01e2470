using WebhookFunctions.Domain.Telemetry;

namespace WebhookFunctions.Tests.Telemetry;

public sealed class BotTokenRedactionTests
{
    [Theory]
    [InlineData("https://api.telegram.org/bot123456:AAE-secret_Part/setWebhook", "https://api.telegram.org/bot{token}/setWebhook")]
    [InlineData("/bot123456:AAEsecret/getWebhookInfo?x=1", "/bot{token}/getWebhookInfo?x=1")]
    [InlineData("http://127.0.0.1:8081/bot42%3AAAEsecret/deleteWebhook", "http://127.0.0.1:8081/bot{token}/deleteWebhook")]
    [InlineData("POST /bot123456:AAEsecret", "POST /bot{token}")]
    public void Token_segment_of_a_bot_api_url_is_replaced(string url, string redacted) =>
        Assert.Equal(redacted, BotTokenRedaction.Redact(url));

    [Theory]
    [InlineData("/v1/api/bots/3f2c1e9a-8b7d-4c6e-9f10-2a3b4c5d6e7f/platforms")]
    [InlineData("/v1/api/webhooks/telegram/3f2c1e9a-8b7d-4c6e-9f10-2a3b4c5d6e7f")]
    [InlineData("https://api.telegram.org/bot")]
    public void Urls_without_a_token_are_left_alone(string url) =>
        Assert.Same(url, BotTokenRedaction.Redact(url));

    [Fact]
    public void Span_name_and_every_url_tag_are_redacted()
    {
        using var span = new System.Diagnostics.Activity("GET /bot1:AAEsecret/getMe");
        span.SetTag("url.full", "https://api.telegram.org/bot1:AAEsecret/getMe");
        span.SetTag("http.url", "https://api.telegram.org/bot1:AAEsecret/getMe");
        span.SetTag("url.path", "/bot1:AAEsecret/getMe");
        span.SetTag("server.address", "api.telegram.org");

        BotTokenRedaction.Redact(span);

        Assert.Equal("GET /bot{token}/getMe", span.DisplayName);
        Assert.DoesNotContain(span.TagObjects, t => t.Value is string s && s.Contains("AAEsecret", StringComparison.Ordinal));
        Assert.Equal("/bot{token}/getMe", span.GetTagItem("url.path"));
        Assert.Equal("api.telegram.org", span.GetTagItem("server.address"));
    }
}
