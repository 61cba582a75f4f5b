using System.Net;
using System.Net.Http.Json;
using IncidentExchange.Testing;
using Microsoft.Playwright;

namespace IncidentExchange.EndToEnd.Tests;

/// <summary>The dashboard in a real browser: Debian's Chromium, driven by Playwright, through the edge.</summary>
public sealed class DashboardTests(Platform platform) : IClassFixture<Platform>, IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("IX_CHROMIUM") ?? "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    private async Task<IPage> SignInAsync(string userName, string password)
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = Platform.Edge.ToString() });
        await page.GotoAsync("/");
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("online", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#login")).ToBeHiddenAsync();
        return page;
    }

    [Fact]
    public async Task Officer_signs_in_and_sees_a_new_report_arrive_live_as_text()
    {
        var us = await SignInAsync("us-officer", "Demo-US-officer-2026!");
        var cn = await SignInAsync("cn-officer", "Demo-CN-officer-2026!");

        // A title with markup: it must show as the characters the lab typed, never become an element.
        var title = $"Weights for sale <img src=x id=injected> {Guid.NewGuid():N}";
        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        var response = await lab.PostAsJsonAsync("/api/v1/reports", Platform.SampleReport(title));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // The report's own alert, whether shown on its own or folded under an earlier one of the same incident.
        var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();
        var item = us.Locator($"li.alert[data-report-id='{id}']");
        var alert = item.Locator(":scope > .card-body"); // its own card, not those of later reports folded under it
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(alert.Locator(".severity")).ToContainTextAsync("Level");
        await Assertions.Expect(alert.Locator(".kind")).ToHaveTextAsync("Report from our labs · 本方实验室报告");
        Assert.Equal(0, await us.Locator("#injected").CountAsync());

        Directory.CreateDirectory(Repository.PathOf(".run/screenshots"));
        await us.ScreenshotAsync(new() { Path = Repository.PathOf(".run/screenshots/dashboard-us.png"), FullPage = true });

        // The report, each translated field beside its original, labelled with where the rendering came from. The demo
        // platform has no engine: the glossary renders the category, the free text is marked untranslated.
        await Eventually.WaitUntilAsync(async () => (await lab.GetStringAsync($"/api/v1/reports/{id}")).Contains("\"field\":\"title\""),
            "the report's translations were stored");
        await alert.GetByRole(AriaRole.Button, new() { Name = "Open report · 打开报告" }).ClickAsync();
        var panel = us.Locator("#report");
        await Assertions.Expect(panel.Locator("h2")).ToHaveTextAsync(title);
        await Assertions.Expect(panel.Locator(".tlp")).ToHaveTextAsync("TLP:AMBER");
        var category = panel.Locator("tr[data-field='category'] .translation");
        await Assertions.Expect(category).ToContainTextAsync("模型权重窃取或泄露");
        await Assertions.Expect(category).ToContainTextAsync("Agreed glossary");
        await Assertions.Expect(panel.Locator("tr[data-field='title'] .original")).ToHaveTextAsync(title);
        await Assertions.Expect(panel.Locator("tr[data-field='title'] .translation")).ToContainTextAsync("Untranslated — no translation engine");
        Assert.Equal(0, await us.Locator("#injected").CountAsync());
        await panel.ScreenshotAsync(new() { Path = Repository.PathOf(".run/screenshots/dashboard-report-us.png") });

        // Acknowledged from the feed: the stamp, with who, replaces the button — and is on record.
        await Assertions.Expect(alert.Locator(".due")).ToContainTextAsync("due by");
        await alert.GetByRole(AriaRole.Button, new() { Name = "Acknowledge · 确认" }).ClickAsync();
        await Assertions.Expect(alert.Locator(".stamp.done")).ToContainTextAsync("Acknowledged · 已确认");
        await Assertions.Expect(alert.GetByRole(AriaRole.Button, new() { Name = "Acknowledge · 确认" })).ToHaveCountAsync(0);
        var officer = platform.ClientWithToken(await platform.TokenAsync("us-ncp-demo"));
        var alertId = await item.GetAttributeAsync("data-alert-id");
        var recorded = await officer.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/alerts/{alertId}");
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, recorded.GetProperty("stamps").GetProperty("acknowledged").GetProperty("at").ValueKind);

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(0, await cn.Locator("li.alert", new() { HasText = title }).CountAsync());
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_and_no_feed()
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = Platform.Edge.ToString() });
        await page.GotoAsync("/");
        await page.GetByLabel("User name").FillAsync("us-officer");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("wrong");
        await Assertions.Expect(page.Locator("#feed-section")).ToBeHiddenAsync();
    }
}
