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
            // Sound without a click first: a signed-in session restored on reload plays the level 4–5 alarm too.
            Args = ["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    private async Task<IPage> SignInAsync(string userName, string password, Func<IPage, Task>? prepare = null)
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = Platform.Edge.ToString() });
        if (prepare is not null)
            await prepare(page);
        await page.GotoAsync("/");
        await SubmitPasswordAsync(page, userName, password);
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-state", "online", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#login")).ToBeHiddenAsync();
        return page;
    }

    /// <summary>The sign-in form's first step (the invitation form beside it has user name and password fields too).</summary>
    private static async Task SubmitPasswordAsync(IPage page, string userName, string password)
    {
        var login = page.Locator("#login");
        await login.GetByLabel("User name").FillAsync(userName);
        await login.GetByLabel("Password").FillAsync(password);
        await login.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
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
        // A clock counts down to the acknowledgement's limit.
        var clock = alert.Locator(".due").First;
        await Assertions.Expect(clock).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"acknowledge within [\d:]+ · 确认剩余 [\d:]+"));
        var shownBefore = await clock.TextContentAsync();
        await Assertions.Expect(clock).Not.ToHaveTextAsync(shownBefore!);
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
        await Assertions.Expect(us.Locator("#report .releases")).ToContainTextAsync("released to CN as · 第1版已通报CN，标记 TLP:AMBER+STRICT");

        // The counterpart reads exactly the preview.
        var cnOfficer = platform.ClientWithToken(await platform.TokenAsync("cn-ncp-demo"));
        var seen = await cnOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/reports/{id}");
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(shown!).RootElement),
            System.Text.Json.JsonSerializer.Serialize(seen.GetProperty("document")));
        var cn = await SignInAsync("cn-officer", "Demo-CN-officer-2026!");
        await Assertions.Expect(cn.Locator($"#inbox-section tr[data-report-id='{id}']")).ToContainTextAsync("Counterpart (US) · 对方通报（US）", new() { Timeout = 15_000 });
        // Its alert says the title has no rendering in the other language (this platform runs without an engine), not
        // just the English title as if that were all there is.
        await Assertions.Expect(cn.Locator($"li.alert[data-report-id='{id}'][data-kind='report-released'] .title-note"))
            .ToContainTextAsync("title untranslated — no translation engine · 标题未翻译（无翻译引擎）", new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task Officer_confirms_triages_link_and_takes_a_report_out_of_an_incident_in_the_browser()
    {
        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        var officer = platform.ClientWithToken(await platform.TokenAsync("us-ncp-demo"));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray()));
        var ids = new List<string>();
        // Text, model and developer of their own, mostly this run's random hex: the first report would otherwise join
        // the incident of another test's weights-leak reports (same text, model and category), or of an earlier run of
        // this test, and the page show more rows than these two.
        var model = $"Quillfeather-{hash[..6]}";
        foreach (var title in new[] { $"{hash[..12]} archive", $"{hash[..12]} archive again" })
        {
            var filed = await lab.PostAsJsonAsync("/api/v1/reports", new
            {
                title, summary = $"Mirror {hash[12..44]} lists files of {model}.", language = "en", kind = "incident",
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

    /// <summary>
    /// The hub's socket drops and stays down (its negotiation refused) while reports are filed; once it is back, the
    /// dashboard fetches what it missed (GET /api/v1/alerts?after=) and shows each alert once.
    /// </summary>
    [Fact]
    public async Task Alerts_raised_while_the_socket_is_down_appear_once_each_after_it_reconnects()
    {
        var offline = false;
        IWebSocketRoute? socket = null;
        var us = await SignInAsync("us-officer", "Demo-US-officer-2026!", async page =>
        {
            await page.RouteAsync("**/hubs/alerts/negotiate**", route => offline ? route.AbortAsync() : route.ContinueAsync());
            await page.RouteWebSocketAsync("**/hubs/alerts**", async route =>
            {
                if (offline)
                {
                    await route.CloseAsync(new() { Code = 1011, Reason = "network down (test)" });
                    return;
                }
                route.ConnectToServer();
                socket = route;
            });
        });
        await us.BringToFrontAsync();
        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        var token = await platform.TokenAsync("us-ncp-demo");

        async Task<string> FileAsync(string title)
        {
            var response = await lab.PostAsJsonAsync("/api/v1/reports", Platform.SampleReport(title));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        }
        var before = await FileAsync($"Before the drop {Guid.NewGuid():N}");
        await Assertions.Expect(us.Locator($"li.alert[data-report-id='{before}']")).ToBeVisibleAsync(new() { Timeout = 15_000 });

        offline = true;
        var last = await platform.LastSequenceAsync(token);
        await socket!.CloseAsync(new() { Code = 1011, Reason = "network down (test)" });
        await Assertions.Expect(us.Locator("#status")).ToHaveAttributeAsync("data-state", "reconnecting");
        var missed = new[] { await FileAsync($"While down A {Guid.NewGuid():N}"), await FileAsync($"While down B {Guid.NewGuid():N}") };
        await Eventually.WaitUntilAsync(async () =>
        {
            var raised = await platform.AlertsAfterAsync(token, last);
            return missed.All(id => raised.Any(a => a.GetProperty("reportId").GetString() == id));
        }, "both alerts were raised while the dashboard was disconnected");
        Assert.Equal(0, await us.Locator($"li.alert[data-report-id='{missed[0]}']").CountAsync());
        await PhotographAsync(us, us.Locator("header"), "dashboard-reconnecting-us.png");

        offline = false;
        await Assertions.Expect(us.Locator("#status")).ToHaveAttributeAsync("data-state", "online", new() { Timeout = 30_000 });
        foreach (var id in missed)
            await Assertions.Expect(us.Locator($"li.alert[data-report-id='{id}']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var sequences = await us.Locator("li.alert").EvaluateAllAsync<long[]>("items => items.map(i => Number(i.dataset.sequence))");
        Assert.Equal(sequences.Length, sequences.Distinct().Count());
    }

    /// <summary>
    /// A level 5 alert cannot be missed: a banner on top and a sound, which the officer can mute (remembered); each
    /// stamp's limit is a running clock. Labels follow the language the officer chooses, remembered across reloads.
    /// </summary>
    [Fact]
    public async Task A_level_5_alert_sounds_and_shows_a_banner_and_the_officer_reads_the_dashboard_in_Chinese()
    {
        var us = await SignInAsync("us-officer", "Demo-US-officer-2026!");
        await us.BringToFrontAsync();
        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        var alarm = us.Locator("#alarm");
        async Task<int> PlayedAsync() => int.Parse(await alarm.GetAttributeAsync("data-played") ?? "0");
        async Task<string> FileAsync(string title)
        {
            // The sample report is level 5: a weights leak (3) by a non-state actor (+1), ongoing (+1).
            var response = await lab.PostAsJsonAsync("/api/v1/reports", Platform.SampleReport(title));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
            await Assertions.Expect(us.Locator($"li.alert[data-report-id='{id}']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            return id;
        }

        var played = await PlayedAsync();
        var id = await FileAsync($"Weights on a forum, level 5 {Guid.NewGuid():N}");
        await Assertions.Expect(alarm).ToBeVisibleAsync();
        await Assertions.Expect(alarm.Locator("#alarm-text")).ToContainTextAsync("LEVEL 5");
        await Eventually.WaitUntilAsync(async () => await PlayedAsync() > played, "the alarm sounded for the new level 5 alert");
        await PhotographAsync(us, alarm, "alarm-us.png");

        // Go to it: the focus lands on an acknowledge button of a waiting level 4–5 alert.
        await alarm.GetByRole(AriaRole.Button, new() { Name = "Go to it" }).ClickAsync();
        await Assertions.Expect(us.Locator("li.alert .ack:focus")).ToHaveCountAsync(1);

        // Muted, and it stays muted after a reload: a new level 5 alert shows, silently.
        await alarm.GetByRole(AriaRole.Button, new() { Name = "Mute sound" }).ClickAsync();
        await Assertions.Expect(us.Locator("#alarm-mute")).ToHaveAttributeAsync("aria-pressed", "true");
        await us.ReloadAsync();
        await Assertions.Expect(us.Locator("#status")).ToHaveAttributeAsync("data-state", "online", new() { Timeout = 15_000 });
        await Assertions.Expect(us.Locator("#alarm-mute")).ToHaveAttributeAsync("aria-pressed", "true");
        played = await PlayedAsync();
        await FileAsync($"Weights on a forum, muted {Guid.NewGuid():N}");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(played, await PlayedAsync());
        await us.Locator("#alarm-mute").ClickAsync();
        await Assertions.Expect(us.Locator("#alarm-mute")).ToHaveAttributeAsync("aria-pressed", "false");

        // Chinese only, remembered: labels, connection state, the alert's level and clock, the report page.
        await us.Locator("#language").SelectOptionAsync("zh-Hans");
        await Assertions.Expect(us.Locator("#feed-section h2")).ToHaveTextAsync("实时警报", new() { Timeout = 15_000 });
        await us.ReloadAsync();
        await Assertions.Expect(us.Locator("#status")).ToHaveTextAsync("在线", new() { Timeout = 15_000 });
        await Assertions.Expect(us.Locator("#feed-section h2")).ToHaveTextAsync("实时警报");
        await Assertions.Expect(us.Locator("#inbox-section h2")).ToHaveTextAsync("收件箱");
        Assert.Equal("zh-Hans", await us.Locator("html").GetAttributeAsync("lang"));
        var card = us.Locator($"li.alert[data-report-id='{id}'] > .card-body");
        await Assertions.Expect(card.Locator(".severity")).ToContainTextAsync("5级");
        await Assertions.Expect(card.Locator(".severity")).Not.ToContainTextAsync("Level");
        await Assertions.Expect(alarm.Locator("#alarm-text")).ToContainTextAsync("5级");
        await us.ScreenshotAsync(new() { Path = Repository.PathOf(".run/screenshots/dashboard-zh-us.png") });
        await card.GetByRole(AriaRole.Button, new() { Name = "打开报告" }).ClickAsync();
        var panel = us.Locator("#report");
        await Assertions.Expect(panel.Locator("h3", new() { HasText = "后续问题" })).ToBeVisibleAsync();
        await Assertions.Expect(panel.GetByRole(AriaRole.Button, new() { Name = "关闭" })).ToBeVisibleAsync();
        await PhotographAsync(us, panel, "dashboard-report-zh-us.png");

        await us.Locator("#language").SelectOptionAsync("en");
        await Assertions.Expect(us.Locator("#feed-section h2")).ToHaveTextAsync("Live alerts", new() { Timeout = 15_000 });
        await Assertions.Expect(us.Locator("#status")).ToHaveTextAsync("online", new() { Timeout = 15_000 });
        await us.Locator("#language").SelectOptionAsync("both");
        await Assertions.Expect(us.Locator("#feed-section h2")).ToHaveTextAsync("Live alerts · 实时警报", new() { Timeout = 15_000 });
    }

    /// <summary>
    /// The report page shows what changed between versions, and the follow-up thread: the US officer asks the lab, the
    /// lab answers by API, and the answer is on the page with the question.
    /// </summary>
    [Fact]
    public async Task Officer_reads_a_reports_changes_between_versions_and_its_follow_up_thread()
    {
        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        var title = $"Jailbreak prompt shared on forums {Guid.NewGuid():N}";
        var filed = await lab.PostAsJsonAsync("/api/v1/reports", Platform.SampleReport(title));
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var id = (await filed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        var amended = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Platform.SampleReport(title)))!;
        amended["summary"] = "Model weights of Frontier-1 were offered on a forum; the offer was withdrawn <b>today</b>.";
        Assert.Equal(HttpStatusCode.Created, (await lab.PostAsJsonAsync($"/api/v1/reports/{id}/versions", amended)).StatusCode);

        var us = await SignInAsync("us-officer", "Demo-US-officer-2026!");
        await us.BringToFrontAsync();
        var row = us.Locator($"#inbox-section tr[data-report-id='{id}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await row.GetByRole(AriaRole.Button).ClickAsync();
        var panel = us.Locator("#report");
        var change = panel.Locator("table.diff[data-version='2'] tr[data-path='summary']");
        await Assertions.Expect(change.Locator(".before")).ToContainTextAsync("offered for sale on a forum by a criminal group");
        await Assertions.Expect(change.Locator(".after")).ToHaveTextAsync("Model weights of Frontier-1 were offered on a forum; the offer was withdrawn <b>today</b>.");

        var ask = panel.GetByRole(AriaRole.Textbox, new() { Name = "Ask the reporting lab" });
        await ask.FillAsync("Is the offer still visible anywhere?");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Ask the reporting lab" }).ClickAsync();
        var thread = panel.Locator("article.thread");
        await Assertions.Expect(thread.Locator(".message .body")).ToHaveTextAsync("Is the offer still visible anywhere?");

        var threads = await lab.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/reports/{id}/threads");
        var threadId = threads[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Created, (await lab.PostAsJsonAsync($"/api/v1/reports/{id}/threads/{threadId}/messages",
            new { body = "No: the forum removed it at 09:00 UTC.", language = "en" })).StatusCode);
        await panel.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("Thank you.");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Reply" }).ClickAsync();
        await Assertions.Expect(thread.Locator(".message .body")).ToHaveTextAsync(["Is the offer still visible anywhere?", "No: the forum removed it at 09:00 UTC.", "Thank you."]);
        await PhotographAsync(us, panel, "report-versions-thread-us.png");
    }

    /// <summary>
    /// The whole life of a person, in browsers: the US administrator invites a duty officer from the dashboard; the
    /// invitee opens the link, chooses a name and password, signs in, sets up a second factor from the QR page's key
    /// and keeps the recovery codes; signing in then takes a code, and a recovery code works once. The administrator
    /// sees the second factor on, then disables the person, who can no longer sign in. The US auditor reads it all.
    /// </summary>
    [Fact]
    public async Task Administrator_invites_a_person_who_sets_up_a_second_factor_and_is_then_disabled_all_in_the_dashboard()
    {
        var admin = await SignInAsync("us-admin", "Demo-US-admin-2026!");
        admin.Dialog += (_, dialog) => dialog.AcceptAsync(); // "Disable …?" is confirmed
        var section = admin.Locator("#admin-section");
        await Assertions.Expect(section.Locator("h2")).ToHaveTextAsync("Administration — US · 管理 — US");
        await Assertions.Expect(section.Locator(".admin-part", new() { HasText = "Organisations" })).ToContainTextAsync("us-ncp");
        await Assertions.Expect(section).Not.ToContainTextAsync("cn-ncp"); // another party's organisations are not listed

        var invite = section.Locator(".admin-part", new() { HasText = "Invitations" }).Locator("form");
        await invite.Locator("select[name=organisationId]").SelectOptionAsync(new SelectOptionValue { Label = "us-ncp — US National Contact Point" });
        await invite.GetByLabel("duty officer · 值班人员").CheckAsync();
        await invite.GetByRole(AriaRole.Button, new() { Name = "Invite a person · 邀请人员" }).ClickAsync();
        var code = await section.Locator(".shown-once .secret").TextContentAsync();
        Assert.Matches("^[A-Z0-9]{5}(-[A-Z0-9]{5}){3}$", code);
        await Assertions.Expect(section.Locator(".shown-once")).ToContainTextAsync($"/#invitation={code}");

        // The invitee follows the link: the code is filled in, and leaves the address bar.
        var userName = $"duty-{Guid.NewGuid():N}"[..20];
        const string password = "A-long-enough-password-2026";
        var person = await _browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = Platform.Edge.ToString() });
        await person.GotoAsync($"/#invitation={code}");
        var accept = person.Locator("#accept-invitation");
        await Assertions.Expect(accept.GetByLabel("Invitation code")).ToHaveValueAsync(code!);
        Assert.DoesNotContain(code!, person.Url);
        await accept.GetByLabel("Choose a user name").FillAsync(userName);
        await accept.GetByLabel("Choose a password").FillAsync(password);
        await accept.GetByLabel("The password again").FillAsync(password + "x");
        await accept.GetByRole(AriaRole.Button, new() { Name = "Create my account · 创建账户" }).ClickAsync();
        await Assertions.Expect(person.Locator("#accept-error")).ToContainTextAsync("The two passwords differ.");
        await accept.GetByLabel("The password again").FillAsync(password);
        await accept.GetByRole(AriaRole.Button, new() { Name = "Create my account · 创建账户" }).ClickAsync();
        await Assertions.Expect(person.Locator("#login-notice")).ToContainTextAsync($"Your account {userName} is ready");
        await person.Locator("#login").GetByLabel("Password").FillAsync(password);
        await person.Locator("#login").GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(person.Locator("#status")).ToHaveAttributeAsync("data-state", "online", new() { Timeout = 15_000 });

        // A second factor, from the key the page shows (the QR code holds the same).
        await person.GetByRole(AriaRole.Button, new() { Name = "Second factor · 双重验证" }).ClickAsync();
        var security = person.Locator("#security");
        await security.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app · 设置验证器应用" }).ClickAsync();
        await Assertions.Expect(security.Locator("svg[role=img] path")).ToHaveCountAsync(1);
        var key = await security.Locator(".shared-key").GetAttributeAsync("data-key");
        await security.GetByLabel("Code the app shows now").FillAsync(Totp.Code(key!, DateTimeOffset.UtcNow));
        await security.GetByRole(AriaRole.Button, new() { Name = "Turn on · 开启" }).ClickAsync();
        var recovery = security.Locator(".recovery-codes li");
        await Assertions.Expect(recovery).ToHaveCountAsync(10);
        var recoveryCode = await recovery.First.TextContentAsync();
        await security.GetByRole(AriaRole.Button, new() { Name = "I have stored these codes · 我已保存这些恢复码" }).ClickAsync();
        await Assertions.Expect(person.Locator("#status")).ToHaveAttributeAsync("data-state", "online", new() { Timeout = 15_000 });
        await person.GetByRole(AriaRole.Button, new() { Name = "Second factor · 双重验证" }).ClickAsync();
        await Assertions.Expect(security).ToContainTextAsync("On: signing in asks for a code");

        async Task SignInWithSecondFactorAsync(string field, string value)
        {
            await person.GetByRole(AriaRole.Button, new() { Name = "Sign out · 退出" }).ClickAsync();
            await SubmitPasswordAsync(person, userName, password);
            var second = person.Locator("#second-factor");
            await Assertions.Expect(second).ToBeVisibleAsync();
            await second.Locator($"input[name={field}]").FillAsync(value);
            await second.GetByRole(AriaRole.Button, new() { Name = "Continue · 继续" }).ClickAsync();
        }
        await SignInWithSecondFactorAsync("recoveryCode", recoveryCode!);
        await Assertions.Expect(person.Locator("#status")).ToHaveAttributeAsync("data-state", "online", new() { Timeout = 15_000 });
        await SignInWithSecondFactorAsync("recoveryCode", recoveryCode!); // the same recovery code again
        await Assertions.Expect(person.Locator("#second-factor-error")).ToContainTextAsync("The code is wrong");
        // The next step's code: a code works once, and the one that turned the second factor on may still be current.
        await person.Locator("#second-factor input[name=code]").FillAsync(Totp.Code(key!, DateTimeOffset.UtcNow.AddSeconds(30)));
        await person.Locator("#second-factor").GetByRole(AriaRole.Button, new() { Name = "Continue · 继续" }).ClickAsync();
        await Assertions.Expect(person.Locator("#status")).ToHaveAttributeAsync("data-state", "online", new() { Timeout = 15_000 });

        // The administrator sees the person with their second factor, and disables them.
        await admin.ReloadAsync();
        var row = section.Locator("tr", new() { HasText = userName });
        await Assertions.Expect(row).ToContainTextAsync("second factor on");
        await Assertions.Expect(row).ToContainTextAsync("duty officer");
        await row.GetByRole(AriaRole.Button, new() { Name = "Disable · 停用" }).ClickAsync();
        await Assertions.Expect(section.Locator("tr", new() { HasText = userName })).ToContainTextAsync("DISABLED");
        var people = section.Locator(".admin-part", new() { HasText = "People" });
        var self = people.Locator("tr").Filter(new() { Has = admin.GetByRole(AriaRole.Cell, new() { Name = "us-admin", Exact = true }) });
        await Assertions.Expect(self).ToHaveCountAsync(1);
        await Assertions.Expect(self.GetByRole(AriaRole.Button)).ToHaveCountAsync(0); // nobody disables themselves
        await PhotographAsync(admin, section, "administration-us.png");
        await person.GetByRole(AriaRole.Button, new() { Name = "Sign out · 退出" }).ClickAsync();
        await SubmitPasswordAsync(person, userName, password);
        await Assertions.Expect(person.Locator("#login-error")).ToContainTextAsync("The user name or password is wrong");

        // The auditor's trail has all of it; CN's administrator sees none of it.
        var auditor = await SignInAsync("us-auditor", "Demo-US-auditor-2026!");
        var trail = auditor.Locator("#audit-section .audit-part").First;
        await Assertions.Expect(trail.Locator("tr", new() { HasText = "invitation-accepted" }).Filter(new() { HasText = userName })).ToHaveCountAsync(1);
        await Assertions.Expect(trail.Locator("tr", new() { HasText = "second-factor-enrolled" }).Filter(new() { HasText = userName })).ToHaveCountAsync(1);
        await Assertions.Expect(trail.Locator("tr", new() { HasText = "user-disabled" })).Not.ToHaveCountAsync(0);
        var cnAdmin = await SignInAsync("cn-admin", "Demo-CN-admin-2026!");
        await Assertions.Expect(cnAdmin.Locator("#admin-section .admin-part", new() { HasText = "People" })).ToContainTextAsync("cn-officer");
        await Assertions.Expect(cnAdmin.Locator("#admin-section")).Not.ToContainTextAsync(userName);
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_and_no_feed()
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = Platform.Edge.ToString() });
        await page.GotoAsync("/");
        await SubmitPasswordAsync(page, "us-officer", "not-the-password");

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
