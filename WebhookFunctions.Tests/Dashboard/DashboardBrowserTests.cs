using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.StandIns;
using WebhookFunctions.Tests.Api;
using WebhookFunctions.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace WebhookFunctions.Tests.Dashboard;

/// <summary>The dashboard in a real browser (headless chromium) against the self-host over real HTTP.</summary>
public sealed class DashboardBrowserTests(BrowserFixture browser) : ApiTestBase, IClassFixture<BrowserFixture>
{
    private readonly List<string> _consoleErrors = [];

    // Sweeps in a test follow each other at once: no bot is left out for having been checked a moment ago.
    protected override Dictionary<string, string?> Settings => new() { ["Checker:MinCheckInterval"] = "00:00:00" };

    [Fact]
    public async Task The_key_is_asked_for_once_then_kept_for_the_tab()
    {
        var page = await OpenAsync();

        await Expect(page.GetByRole(AriaRole.Dialog, new() { Name = "Management key" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Key", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(SelfHostServer.ApiKey);
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bots by state" })).ToBeVisibleAsync();
        Assert.Equal(SelfHostServer.ApiKey, await page.EvaluateAsync<string>("sessionStorage.getItem('webhookfunctions.managementKey')"));
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bots by state" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Dialog, new() { Name = "Management key" })).ToBeHiddenAsync();
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_said_so()
    {
        var page = await OpenAsync();

        await page.GetByLabel("Key", new() { Exact = true }).FillAsync("not-the-management-key-0123456789");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the dashboard" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("refused (401 Unauthorized)");
        await Expect(page.Locator("#main")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('webhookfunctions.managementKey')"));
        await page.ScreenshotAsync(new() { Path = Artifact("dashboard-wrong-key.png") });
    }

    [Fact]
    public async Task A_fleet_with_a_failing_bot_shows_it_first_and_filters_by_state_and_id()
    {
        var (failing, healthy) = await FleetWithAFailingBotAsync();
        var page = await OpenWithKeyAsync();

        var rows = page.Locator("#bot-table tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.First).ToHaveAttributeAsync("data-bot-id", failing.ToString());
        await Expect(rows.First.Locator(".state")).ToHaveTextAsync("failing");
        await Expect(page.Locator("#state-counts li[data-state=failing] .count")).ToHaveTextAsync("1");
        await Expect(page.Locator("#state-counts li[data-state=healthy] .count")).ToHaveTextAsync("2");
        await Expect(page.Locator("#last-sweep")).ToContainTextAsync("3 bot(s): 2 refreshed, 1 failed");
        await page.ScreenshotAsync(new() { Path = Artifact("dashboard.png"), FullPage = true });

        await page.GetByLabel("State", new() { Exact = true }).SelectOptionAsync("healthy");
        await Expect(rows).ToHaveCountAsync(2);
        await page.GetByLabel("State", new() { Exact = true }).SelectOptionAsync("");
        await page.GetByLabel("Bot id contains").FillAsync(healthy.ToString()[..13]);
        await page.GetByLabel("Bot id contains").PressAsync("Enter");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-bot-id", healthy.ToString());
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task A_bots_detail_shows_its_status_and_its_history_as_a_timeline()
    {
        var (failing, _) = await FleetWithAFailingBotAsync();
        var page = await OpenWithKeyAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = $"Details of bot {failing}" }).ClickAsync();

        var detail = page.Locator("#detail");
        await Expect(detail.GetByRole(AriaRole.Heading, new() { Name = $"Bot {failing}" })).ToBeVisibleAsync();
        await Expect(detail.Locator("#detail-status")).ToContainTextAsync($"Expected URL{SelfHostServer.Domain}/v1/api/webhooks/telegram/{failing}");
        await Expect(detail.Locator("#detail-status")).ToContainTextAsync("Pending updates0");
        var timeline = detail.Locator("#timeline li");
        await Expect(timeline).ToHaveTextAsync([new System.Text.RegularExpressions.Regex("unchecked \u2192 failing \\(unavailable\\)"), new System.Text.RegularExpressions.Regex("Credential registered")]);
        await page.ScreenshotAsync(new() { Path = Artifact("dashboard-detail.png"), FullPage = true });
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task The_sweep_button_asks_first_and_cancel_runs_nothing()
    {
        await RegisterBotAsync();
        var page = await OpenWithKeyAsync();
        var sweep = page.GetByRole(AriaRole.Button, new() { Name = "Run a sweep now" });
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Run a sweep now?" });

        await sweep.ClickAsync();
        await Expect(confirm).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(confirm).ToBeHiddenAsync();
        Assert.Equal(0, await SweepRunsAsync());

        await sweep.ClickAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Run the sweep" }).ClickAsync();

        await Expect(page.Locator("#notice")).ToContainTextAsync("Sweep completed: checked 1, 1 refreshed");
        await Expect(page.Locator("#last-sweep")).ToContainTextAsync("(manual)");
        Assert.Equal(1, await SweepRunsAsync());
    }

    [Fact]
    public async Task Deleting_and_setting_a_webhook_are_confirmed_then_done_at_telegram()
    {
        var (botId, token) = await RegisterBotAsync();
        Assert.True((await Client.PostAsync($"/v1/api/webhooks/telegram/{botId}/webhook/set", null)).IsSuccessStatusCode);
        var page = await OpenWithKeyAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Details of bot {botId}" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete webhook" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog, new() { Name = "Delete this webhook?" }).GetByRole(AriaRole.Button, new() { Name = "Delete the webhook" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("was deleted");
        Assert.Equal("", BotApi.Bot(token).Url);
        Assert.False(BotApi.CallsOf("deleteWebhook").Single().Arguments["drop_pending_updates"]?.GetValue<bool>() ?? false);
        await Expect(page.Locator("#timeline li").First).ToContainTextAsync("Webhook deleted by the api");

        await page.GetByRole(AriaRole.Button, new() { Name = "Set webhook" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog, new() { Name = "Set this webhook?" }).GetByRole(AriaRole.Button, new() { Name = "Set the webhook" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("was set");
        Assert.Equal($"{SelfHostServer.Domain}/v1/api/webhooks/telegram/{botId}", BotApi.Bot(token).Url);
        Assert.All(BotApi.CallsOf("setWebhook"), call => Assert.False(call.Arguments["drop_pending_updates"]?.GetValue<bool>() ?? false));
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task On_a_phone_the_page_fits_the_screen_without_sideways_scrolling()
    {
        await FleetWithAFailingBotAsync();
        var page = await OpenWithKeyAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });

        await Expect(page.Locator("#bot-table tbody tr")).ToHaveCountAsync(3);

        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        await page.ScreenshotAsync(new() { Path = Artifact("dashboard-phone.png"), FullPage = true });
    }

    [Fact]
    public async Task A_fleet_with_a_failing_and_a_contested_bot_counts_lists_and_filters_both()
    {
        var (failing, contested) = await FleetWithAFailingAndAContestedBotAsync();
        var page = await OpenWithKeyAsync();

        await Expect(page.Locator("#state-counts li[data-state=contested] .count")).ToHaveTextAsync("1");
        await Expect(page.Locator("#state-counts li[data-state=failing] .count")).ToHaveTextAsync("1");
        var rows = page.Locator("#bot-table tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        // The least healthy first: neither healthy bot comes before the failing or the contested one.
        var firstTwo = new[] { await rows.Nth(0).GetAttributeAsync("data-bot-id"), await rows.Nth(1).GetAttributeAsync("data-bot-id") };
        Assert.Equal(new[] { failing.ToString(), contested.ToString() }.Order(), firstTwo.Order());
        await Expect(page.Locator($"#bot-table tbody tr[data-bot-id='{contested}'] .state")).ToHaveTextAsync("contested");
        await Expect(page.GetByLabel("State", new() { Exact = true }).Locator("option[value=contested]")).ToHaveTextAsync("contested (1)");
        await page.ScreenshotAsync(new() { Path = Artifact("dashboard-contested.png"), FullPage = true });

        await page.GetByLabel("State", new() { Exact = true }).SelectOptionAsync("contested");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-bot-id", contested.ToString());
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task Every_text_on_the_page_has_at_least_4_5_to_1_contrast()
    {
        await FleetWithAFailingBotAsync();
        var page = await OpenWithKeyAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Details of bot" }).First.ClickAsync();
        await Expect(page.Locator("#timeline li").First).ToBeVisibleAsync();

        var low = await page.EvaluateAsync<string[]>(ContrastCheck);

        Assert.Empty(low);
    }

    [Fact]
    public async Task A_bot_opens_from_the_keyboard()
    {
        var (botId, _) = await RegisterBotAsync();
        var page = await OpenWithKeyAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = $"Details of bot {botId}" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#detail")).ToBeFocusedAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Bot {botId}" })).ToBeVisibleAsync();
    }

    // WCAG's contrast ratio of every visible element's own text against the first opaque background behind it.
    private const string ContrastCheck = """
        () => {
          const rgb = (c) => c.match(/[\d.]+/g).map(Number);
          const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
            .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
          const background = (el) => {
            for (; el; el = el.parentElement) {
              const c = rgb(getComputedStyle(el).backgroundColor);
              if (c.length < 4 || c[3] === 1) return c.slice(0, 3);
            }
            return [255, 255, 255];
          };
          const low = [];
          for (const el of document.querySelectorAll("body *")) {
            const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
            if (!own || !el.checkVisibility()) continue;
            const [a, b] = [lum(rgb(getComputedStyle(el).color).slice(0, 3)), lum(background(el))];
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            if (ratio < 4.5) low.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className} "${el.textContent.trim().slice(0, 30)}": ${ratio.toFixed(2)}`);
          }
          return low;
        }
        """;

    /// <summary>
    /// Three bots: one fails getWebhookInfo (Telegram 500); one is set by a sweep, then moved away by a rival holding
    /// its token (over the stand-in's real API), so the next sweep finds it contested; one stays healthy.
    /// </summary>
    private async Task<(Guid Failing, Guid Contested)> FleetWithAFailingAndAContestedBotAsync()
    {
        var (failing, failingToken) = await RegisterBotAsync();
        var (contested, contestedToken) = await RegisterBotAsync();
        await RegisterBotAsync();
        // One fault per sweep: the bot fails in both.
        BotApi.Fail(failingToken, "getWebhookInfo", Fault.ServerError());
        BotApi.Fail(failingToken, "getWebhookInfo", Fault.ServerError());
        await SweepNowAsync();
        using var rival = new Checking.RivalClient(BotApi);
        await rival.SetWebhookAsync(contestedToken, "https://rival.example.org/telegram/hook");
        var report = await SweepNowAsync();
        Assert.Equal(1, (int)report["contested"]!);
        return (failing, contested);
    }

    private async Task<System.Text.Json.Nodes.JsonObject> SweepNowAsync()
    {
        using var response = await Client.PostAsync("/v1/api/webhooks/telegram/check", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
    }

    /// <summary>Three bots swept once: one fails getWebhookInfo (Telegram 500), two are set.</summary>
    private async Task<(Guid Failing, Guid Healthy)> FleetWithAFailingBotAsync()
    {
        var (healthy, _) = await RegisterBotAsync();
        var (failing, token) = await RegisterBotAsync();
        await RegisterBotAsync();
        BotApi.Fail(token, "getWebhookInfo", Fault.ServerError());
        var report = await (await Client.PostAsync("/v1/api/webhooks/telegram/check", null)).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        Assert.Equal(1, (int)report!["failed"]!);
        return (failing, healthy);
    }

    private async Task<IPage> OpenAsync(BrowserNewContextOptions? options = null)
    {
        var context = await browser.Browser.NewContextAsync(options ?? new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Add($"{message.Text} ({message.Location})");
            }
        };
        await page.GotoAsync(new Uri(Host.BaseAddress, "/v1/api/dashboard").ToString());
        return page;
    }

    private async Task<IPage> OpenWithKeyAsync(BrowserNewContextOptions? options = null)
    {
        var page = await OpenAsync(options);
        await page.GetByLabel("Key", new() { Exact = true }).FillAsync(SelfHostServer.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the dashboard" }).ClickAsync();
        await Expect(page.Locator("#main")).ToBeVisibleAsync();
        return page;
    }

    private async Task<int> SweepRunsAsync()
    {
        await using var db = Host.NewDb();
        return await db.Set<SweepRun>().CountAsync();
    }

    private static string Artifact(string name) => Path.Combine(BrowserFixture.ArtifactsFolder, name);
}
