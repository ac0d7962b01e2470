using System.Net;
using System.Text.RegularExpressions;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Api;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Dashboard;

/// <summary>The dashboard's files, the fleet summary and the fleet list's filters, over HTTP on the self-host.</summary>
public sealed partial class DashboardEndpointTests : ApiTestBase
{
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>|\son\w+\s*=|\sstyle\s*=|<style", RegexOptions.IgnoreCase)]
    private static partial Regex InlineCode();

    [Fact]
    public async Task The_page_is_served_without_a_key_under_a_strict_content_security_policy()
    {
        using var anonymous = Host.CreateClient();

        var response = await anonymous.GetAsync("/v1/api/dashboard");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Empty(InlineCode().Matches(html).Select(m => m.Value));
        Assert.DoesNotMatch("https?://", html);
    }

    [Theory]
    [InlineData("dashboard.js", "text/javascript")]
    [InlineData("dashboard.css", "text/css")]
    public async Task The_script_and_style_sheet_come_from_the_library(string file, string mediaType)
    {
        using var anonymous = Host.CreateClient();

        var response = await anonymous.GetAsync($"/v1/api/dashboard/{file}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        // Nothing is fetched from another origin: the page works with no internet.
        Assert.DoesNotMatch(@"https?://", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_dashboard_file_is_404_problem_json()
    {
        await AssertProblemAsync(await Host.CreateClient().GetAsync("/v1/api/dashboard/secrets.json"), 404, "not-found");
    }

    [Fact]
    public async Task The_summary_counts_bots_by_state_and_tells_the_last_sweep()
    {
        await RegisterBotAsync();
        var (_, failing) = await RegisterBotAsync();
        BotApi.Fail(failing, "getWebhookInfo", Fault.ServerError());
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/v1/api/webhooks/telegram/check", null)).StatusCode);

        var summary = await ReadObjectAsync(await Client.GetAsync("/v1/api/webhooks/telegram/summary"));

        Assert.Equal(2, (int)summary["total"]!);
        Assert.Equal(1, (int)summary["by_state"]!["healthy"]!);
        Assert.Equal(1, (int)summary["by_state"]!["failing"]!);
        Assert.Equal(0, (int)summary["by_state"]!["token_rejected"]!);
        var sweep = summary["last_sweep"]!;
        Assert.Equal("manual", (string)sweep["trigger"]!);
        Assert.Equal("completed", (string)sweep["status"]!);
        Assert.Equal(2, (int)sweep["checked"]!);
        Assert.Equal(1, (int)sweep["counts"]!["failed"]!);
        Assert.Equal(0, (int)sweep["left_for_next_sweep"]!);
        // The test host's scheduler is off.
        Assert.Null(summary["next_sweep_at"]);
    }

    [Fact]
    public async Task The_summary_needs_the_management_key()
    {
        await AssertProblemAsync(await Host.CreateClient().GetAsync("/v1/api/webhooks/telegram/summary"), 401, "unauthorized");
    }

    [Fact]
    public async Task The_fleet_filters_by_state_and_bot_id_and_puts_the_least_healthy_first()
    {
        var (healthy, _) = await RegisterBotAsync();
        var (failing, token) = await RegisterBotAsync();
        BotApi.Fail(token, "getWebhookInfo", Fault.ServerError());
        await Client.PostAsync("/v1/api/webhooks/telegram/check", null);

        var ordered = await ReadObjectAsync(await Client.GetAsync("/v1/api/webhooks/telegram?order=state"));
        var onlyHealthy = await ReadObjectAsync(await Client.GetAsync("/v1/api/webhooks/telegram?state=healthy"));
        var byId = await ReadObjectAsync(await Client.GetAsync($"/v1/api/webhooks/telegram?search={healthy.ToString()[4..12]}"));

        Assert.Equal([failing.ToString(), healthy.ToString()], ordered["bots"]!.AsArray().Select(b => (string)b!["bot_id"]!));
        Assert.Equal(["failing", "healthy"], ordered["bots"]!.AsArray().Select(b => (string)b!["state"]!));
        Assert.Equal(1, (int)onlyHealthy["total"]!);
        Assert.Equal(healthy.ToString(), (string)onlyHealthy["bots"]![0]!["bot_id"]!);
        Assert.Equal(healthy.ToString(), (string)byId["bots"]!.AsArray().Single()!["bot_id"]!);
    }

    [Theory]
    [InlineData("state=broken", "state")]
    [InlineData("order=name", "order")]
    [InlineData("search=zz", "search")]
    [InlineData("search=0123456789012345678901234567890123456", "search")]
    public async Task Fleet_filters_out_of_bounds_are_400_naming_the_parameter(string query, string field)
    {
        var problem = await AssertProblemAsync(await Client.GetAsync($"/v1/api/webhooks/telegram?{query}"), 400, "validation");

        Assert.Equal([field], ErrorFields(problem));
    }

    [Fact]
    public async Task A_retention_out_of_range_stops_start_up_naming_the_setting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => SelfHostServer.StartAsync(BotApi, new() { ["History:Retention"] = "00:10:00" }));

        Assert.Contains("History:Retention", error.Message);
    }
}
