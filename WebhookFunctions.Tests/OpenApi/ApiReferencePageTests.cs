using System.Net;
using System.Text.RegularExpressions;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.OpenApi;

// The Scalar reference at /docs: on in Development, off elsewhere unless OpenApi:ReferencePage says so; no CDN.
public sealed partial class ApiReferencePageTests
{
    [Theory]
    [InlineData("Development", null)]
    [InlineData("Production", "true")]
    public async Task The_reference_page_is_served_when_enabled(string environment, string? setting)
    {
        await using var botApi = await BotApiStandIn.StartAsync();
        await using var host = await SelfHostServer.StartAsync(botApi, new() { ["OpenApi:ReferencePage"] = setting }, environment);
        using var anonymous = host.CreateClient();

        var response = await anonymous.GetAsync("/docs/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        // Scalar resolves the source against the site's root: the document the self-host serves at /openapi/v1.json.
        Assert.Contains("\"url\":\"openapi/v1.json\"", page, StringComparison.Ordinal);
        Assert.Contains("ManagementKey", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", null)]
    [InlineData("Test", null)]
    [InlineData("Development", "false")]
    public async Task The_reference_page_is_not_served_when_disabled(string environment, string? setting)
    {
        await using var botApi = await BotApiStandIn.StartAsync();
        await using var host = await SelfHostServer.StartAsync(botApi, new() { ["OpenApi:ReferencePage"] = setting }, environment);
        using var anonymous = host.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/docs/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/docs")).StatusCode);
    }

    [Fact]
    public async Task The_page_loads_its_scripts_from_the_service_itself()
    {
        await using var botApi = await BotApiStandIn.StartAsync();
        await using var host = await SelfHostServer.StartAsync(botApi, environment: "Development");
        using var anonymous = host.CreateClient();

        var page = await anonymous.GetStringAsync("/docs/");

        var scripts = ScriptSource().Matches(page).Select(m => m.Groups["src"].Value).ToList();
        Assert.Contains("scalar.js", scripts);
        Assert.All(scripts, src => Assert.DoesNotContain("//", src, StringComparison.Ordinal));
        foreach (var src in scripts)
        {
            var script = await anonymous.GetAsync("/docs/" + src);
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_reference_page_setting_that_is_not_true_or_false_stops_start_up_naming_it()
    {
        await using var botApi = await BotApiStandIn.StartAsync();

        var error = await Record.ExceptionAsync(async () =>
            await (await SelfHostServer.StartAsync(botApi, new() { ["OpenApi:ReferencePage"] = "sometimes" })).DisposeAsync());

        Assert.NotNull(error);
        Assert.Contains("OpenApi:ReferencePage", error.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex("<script[^>]*\\ssrc=\"(?<src>[^\"]+)\"")]
    private static partial Regex ScriptSource();
}
