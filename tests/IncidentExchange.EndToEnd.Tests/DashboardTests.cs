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

    /// <summary>
    /// A picture of one section for a person to look at (.run/screenshots), not an assertion. Taken as the page's region
    /// under the section: an element screenshot waits for the element to stand still over animation frames, which a
    /// page in a loaded CI machine did not get within 30 s.
    /// </summary>
    private static async Task PhotographAsync(IPage page, ILocator section, string name)
    {
        Directory.CreateDirectory(Repository.PathOf(".run/screenshots"));
        var box = await section.EvaluateAsync<float[]>(
            "element => { const r = element.getBoundingClientRect(); return [r.x + scrollX, r.y + scrollY, r.width, r.height]; }");
        await page.ScreenshotAsync(new()
        {
            Path = Repository.PathOf($".run/screenshots/{name}"),
            FullPage = true,
            Clip = new() { X = box[0], Y = box[1], Width = box[2], Height = box[3] },
        });
    }

    [Fact]
    public async Task Officer_signs_in_and_sees_a_new_report_arrive_live_as_text()
    {
        var us = await SignInAsync("us-officer", "Demo-US-officer-2026!");
        var cn = await SignInAsync("cn-officer", "Demo-CN-officer-2026!");
        // The US window in front: a background page gets no animation frames, and Playwright waits for frames to see an
        // element stand still before it clicks or photographs it.
        await us.BringToFrontAsync();

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
        // The window, not the full page: with other tests' alerts arriving, a full-page shot of a long feed timed out in CI.
        await us.ScreenshotAsync(new() { Path = Repository.PathOf(".run/screenshots/dashboard-us.png") });

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
        await PhotographAsync(us, panel, "dashboard-report-us.png");

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
    public async Task Officer_finds_a_report_in_the_filtered_inbox_previews_its_release_and_the_counterpart_gets_exactly_that()
    {
        var title = $"Inbox and release {Guid.NewGuid():N}";
        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        var response = await lab.PostAsJsonAsync("/api/v1/reports", Platform.SampleReport(title));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();

        var us = await SignInAsync("us-officer", "Demo-US-officer-2026!");
        await us.BringToFrontAsync();
        var inbox = us.Locator("#inbox-section");
        await inbox.GetByLabel("Category · 类别").SelectOptionAsync("weights-leak");
        await inbox.GetByLabel("Exercise · 演练").SelectOptionAsync("false");
        var row = inbox.Locator($"tr[data-report-id='{id}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(row).ToContainTextAsync("TLP:AMBER");
        // A filter that excludes it: the row goes.
        await inbox.GetByLabel("Exercise · 演练").SelectOptionAsync("true");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await inbox.GetByLabel("Exercise · 演练").SelectOptionAsync("");
        await Assertions.Expect(row).ToBeVisibleAsync();
        // Releasing needs the assessment; once it is in, the inbox (reloaded by a change of filter) shows the level.
        await Eventually.WaitUntilAsync(async () => (await lab.GetStringAsync($"/api/v1/reports/{id}")).Contains("\"labelEn\""),
            "the report was assessed");
        await inbox.GetByLabel("Status · 状态").SelectOptionAsync("assessed");
        await Assertions.Expect(row).ToContainTextAsync("Level");

        await row.GetByRole(AriaRole.Button, new() { Name = title }).ClickAsync();
        await us.GetByRole(AriaRole.Button, new() { Name = "Release to CN… · 通报对方…" }).ClickAsync();
        var dialog = us.Locator("#release");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        // No looser than the reporter's AMBER, and never RED.
        var offered = await dialog.Locator("#release-tlp option").AllTextContentsAsync();
        Assert.Equal(["TLP:AMBER", "TLP:AMBER+STRICT"], offered);
        var preview = dialog.Locator("#release-preview");
        await Assertions.Expect(preview).ToContainTextAsync("detectedAt");
        await dialog.GetByLabel("Detected at · 发现时间").CheckAsync();
        await dialog.GetByLabel("Marking · 标记").SelectOptionAsync("AMBER+STRICT");
        await Assertions.Expect(preview).ToContainTextAsync("\"tlp\": \"AMBER+STRICT\"");
        await Assertions.Expect(preview).Not.ToContainTextAsync("detectedAt");
        var shown = await preview.TextContentAsync();
        await PhotographAsync(us, dialog, "release-dialog-us.png");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Release · 通报" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(us.Locator("#report .releases")).ToContainTextAsync("released to CN · 已通报 as TLP:AMBER+STRICT");

        // The counterpart reads exactly the preview.
        var cnOfficer = platform.ClientWithToken(await platform.TokenAsync("cn-ncp-demo"));
        var seen = await cnOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/reports/{id}");
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(shown!).RootElement),
            System.Text.Json.JsonSerializer.Serialize(seen.GetProperty("document")));
        var cn = await SignInAsync("cn-officer", "Demo-CN-officer-2026!");
        await Assertions.Expect(cn.Locator($"#inbox-section tr[data-report-id='{id}']")).ToContainTextAsync("US · 对方通报", new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task Officer_confirms_triages_link_and_takes_a_report_out_of_an_incident_in_the_browser()
    {
        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        var officer = platform.ClientWithToken(await platform.TokenAsync("us-ncp-demo"));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray()));
        var ids = new List<string>();
        // Words, model and developer of their own: on an empty platform the first report would otherwise join the
        // incident of another test's weights-leak reports (same text, model and category) and the page show four rows.
        var model = $"Quillfeather-{hash[..6]}";
        foreach (var title in new[] { $"Archive {hash[..8]} posted", $"Archive {hash[..8]} reposted" })
        {
            var filed = await lab.PostAsJsonAsync("/api/v1/reports", new
            {
                title, summary = $"Files of {model} were posted by an anonymous vendor.", language = "en", kind = "incident",
                category = "weights-leak", timeline = new { occurredAt = DateTimeOffset.UtcNow.AddHours(-1) },
                model = new { name = model, developer = $"Lab {hash[8..14]}" },
                indicators = new[] { new { type = "weights", sha256 = hash } }, tlp = "AMBER",
            });
            Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
            ids.Add((await filed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!);
        }
        string? incidentId = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            var found = await officer.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/incidents?reportId={ids[1]}");
            if (found.GetProperty("incidents").GetArrayLength() == 0 || found.GetProperty("incidents")[0].GetProperty("reports").GetInt32() < 2)
                return false;
            Assert.Equal(2, found.GetProperty("incidents")[0].GetProperty("reports").GetInt32());
            incidentId = found.GetProperty("incidents")[0].GetProperty("id").GetString();
            return true;
        }, "triage linked both reports into one incident");

        var us = await SignInAsync("us-officer", "Demo-US-officer-2026!");
        await us.BringToFrontAsync();
        var row = us.Locator($"#inbox-section tr[data-report-id='{ids[1]}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await row.GetByRole(AriaRole.Button).ClickAsync();
        await us.Locator("#report .incident-open").ClickAsync();
        var page = us.Locator("#incident");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(2);
        var proposed = page.Locator("tbody tr[data-state='proposed']");
        await Assertions.Expect(proposed).ToContainTextAsync("shares an indicator hash");
        var proposedId = await proposed.GetAttributeAsync("data-report-id");

        await proposed.GetByRole(AriaRole.Button, new() { Name = "Confirm · 确认" }).ClickAsync();
        var confirmed = page.Locator($"tbody tr[data-report-id='{proposedId}']");
        await Assertions.Expect(confirmed).ToHaveAttributeAsync("data-state", "confirmed");
        await Assertions.Expect(confirmed).ToContainTextAsync("Confirmed · 已确认");
        await Assertions.Expect(page.Locator(".decisions")).ToContainTextAsync("confirm");
        await PhotographAsync(us, page, "incident-us.png");

        // Not this incident: the report goes to an incident of its own, which the page shows next.
        await confirmed.GetByRole(AriaRole.Button, new() { Name = "Not this incident · 不属于此事件" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator($"tbody tr[data-report-id='{proposedId}']")).ToBeVisibleAsync();
        var recorded = await officer.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/incidents/{incidentId}");
        Assert.Equal(1, recorded.GetProperty("reportCount").GetInt32());
        Assert.Equal(["confirm", "reject"], recorded.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("decision").GetString()!).Order().ToArray());
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

    /// <summary>
    /// A real run: a scenario's first inject filed by the US exercise lab, acknowledged and released by the US contact
    /// point, acknowledged by CN — all through the edge — then its after-action report in the coordinator's browser.
    /// </summary>
    [Fact]
    public async Task Coordinator_reads_the_after_action_report_of_a_real_run_with_its_timeline()
    {
        var coordinator = platform.ClientWithToken(await platform.TokenAsync("coordinator-demo"));
        var usToken = await platform.TokenAsync("us-ncp-demo");
        var cnToken = await platform.TokenAsync("cn-ncp-demo");
        var cnLast = await platform.LastSequenceAsync(cnToken);
        var created = await coordinator.PostAsJsonAsync("/api/v1/drills", new { scenario = "critical-infrastructure-campaign", name = $"Grid campaign drill {Guid.NewGuid():N}"[..40] });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var drillId = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        try
        {
            Guid reportId = default;
            await Eventually.WaitUntilAsync(async () =>
            {
                var inject = (await coordinator.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/drills/{drillId}")).GetProperty("injects")[0];
                if (inject.GetProperty("status").GetString() != "filed") return false;
                reportId = inject.GetProperty("reportId").GetGuid();
                return true;
            }, "inject 1 was filed");

            var us = platform.ClientWithToken(usToken);
            System.Text.Json.JsonElement usAlert = default;
            await Eventually.WaitUntilAsync(async () =>
            {
                var alerts = await platform.AlertsAfterAsync(usToken, 0);
                usAlert = alerts.FirstOrDefault(a => a.GetProperty("reportId").GetGuid() == reportId && a.GetProperty("kind").GetString() == "report");
                return usAlert.ValueKind != System.Text.Json.JsonValueKind.Undefined;
            }, "the US alert was raised");
            Assert.Equal(HttpStatusCode.OK, (await us.PostAsync($"/api/v1/alerts/{usAlert.GetProperty("alertId").GetGuid()}/ack", null)).StatusCode);
            await Eventually.WaitUntilAsync(async () => (await us.PostAsJsonAsync($"/api/v1/reports/{reportId}/releases", new { toParty = "CN", tlp = "AMBER" }))
                .StatusCode == HttpStatusCode.Created, "the US released the inject to CN");

            System.Text.Json.JsonElement cnAlert = default;
            await Eventually.WaitUntilAsync(async () =>
            {
                cnAlert = (await platform.AlertsAfterAsync(cnToken, cnLast)).FirstOrDefault(a => a.GetProperty("reportId").GetGuid() == reportId);
                return cnAlert.ValueKind != System.Text.Json.JsonValueKind.Undefined;
            }, "CN was alerted");
            Assert.True(cnAlert.GetProperty("exercise").GetBoolean());
            Assert.Equal(HttpStatusCode.OK, (await platform.ClientWithToken(cnToken).PostAsync($"/api/v1/alerts/{cnAlert.GetProperty("alertId").GetGuid()}/ack", null)).StatusCode);
            await Eventually.WaitUntilAsync(async () => (await coordinator.GetStringAsync($"/api/v1/drills/{drillId}")).Contains("\"party\":\"CN\",\"stamp\":\"acknowledged\""),
                "CN's acknowledgement was measured");
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync($"/api/v1/drills/{drillId}/stop", null)).StatusCode);
        }

        var page = await SignInAsync("us-coordinator", "Demo-US-coordinator-2026!");
        await Assertions.Expect(page.Locator("#feed-section")).ToBeHiddenAsync();
        var item = page.Locator($"li.drill-item[data-drill-id='{drillId}']");
        await item.GetByRole(AriaRole.Button, new() { Name = "After-action report · 演练评估报告" }).ClickAsync();
        var report = page.Locator("#drill");
        await Assertions.Expect(report.Locator(".exercise.banner")).ToContainTextAsync("EXERCISE");
        await Assertions.Expect(report.Locator(".scores tr[data-party='US'] .score")).Not.ToHaveTextAsync("—");
        await Assertions.Expect(report.Locator("svg.timeline .mark.acknowledged")).ToHaveCountAsync(2); // US and CN
        await Assertions.Expect(report.Locator("svg.timeline .mark.released")).ToHaveCountAsync(1);
        await Assertions.Expect(report.Locator(".measures tbody tr").First).ToContainTextAsync("met");
        Directory.CreateDirectory(Repository.PathOf(".run/screenshots"));
        await PhotographAsync(page, report, "after-action-report.png");

        // The coordinator starts a communication check to both contact points from the page, and stops it.
        await page.GetByLabel("Check within (minutes) · 确认时限（分钟）").FillAsync("7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Communication check US · CN · 通信检查" }).ClickAsync();
        await Assertions.Expect(report.Locator("h2")).ToContainTextAsync("Communication check");
        await Assertions.Expect(report.Locator(".scores tbody tr")).ToHaveCountAsync(2);
        await report.GetByRole(AriaRole.Button, new() { Name = "Stop · 结束" }).ClickAsync();
        await Assertions.Expect(report.Locator(".meta").First).ToContainTextAsync("stopped");

        // CN's officer sees the drill with CN's results only.
        var cn = await SignInAsync("cn-officer", "Demo-CN-officer-2026!");
        await cn.Locator($"li.drill-item[data-drill-id='{drillId}']").GetByRole(AriaRole.Button, new() { Name = "After-action report · 演练评估报告" }).ClickAsync();
        await Assertions.Expect(cn.Locator("#drill .scores tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(cn.Locator("#drill .scores tr[data-party='CN']")).ToBeVisibleAsync();
        await PhotographAsync(cn, cn.Locator("#drill"), "after-action-report-cn.png");
    }
}
