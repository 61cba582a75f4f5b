using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IncidentExchange.EndToEnd.Tests;

/// <summary>A report travels from an authenticated lab client, through the edge and the bus, to its contact point's hub.</summary>
public sealed class WalkingSkeletonTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task Lab_report_reaches_its_own_contact_point_live_and_never_the_counterpart()
    {
        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        var usToken = await platform.TokenAsync("us-ncp-demo");
        var cnToken = await platform.TokenAsync("cn-ncp-demo");
        var usLast = await platform.LastSequenceAsync(usToken);
        var cnLast = await platform.LastSequenceAsync(cnToken);
        await using var us = await HubListener.ConnectAsync(usToken);
        await using var cn = await HubListener.ConnectAsync(cnToken);
        Assert.Equal("connected", (await us.FirstEventAsync()).GetProperty("event").GetString());
        Assert.Equal("connected", (await cn.FirstEventAsync()).GetProperty("event").GetString());

        var title = $"E2E weights offered for sale {Guid.NewGuid():N}";
        var response = await lab.PostAsJsonAsync("/api/v1/reports", Platform.SampleReport(title));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/reports/{id}", response.Headers.Location?.ToString());

        var alert = await us.WaitForAlertAsync(a => a.GetProperty("reportId").GetString() == id, "the US contact point received the alert");
        Assert.Equal("US", alert.GetProperty("party").GetString());
        Assert.Equal("report", alert.GetProperty("kind").GetString());
        Assert.Equal(title, alert.GetProperty("title").GetString());
        Assert.False(alert.GetProperty("exercise").GetBoolean());
        Assert.True(alert.GetProperty("sequence").GetInt64() > 0);
        // weights-leak (3) raised by the non-state-actor and ongoing signals the triage found in the summary
        Assert.Equal(5, alert.GetProperty("severity").GetInt32());

        // The counterpart heard nothing: give a misrouted push time to arrive before looking.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(cn.Alerts, a => a.GetProperty("reportId").GetString() == id);
        Assert.All(cn.Alerts, a => Assert.Equal("CN", a.GetProperty("party").GetString()));

        // Pushed with the number it was stored under.
        var listed = Assert.Single(await platform.AlertsAfterAsync(usToken, usLast), a => a.GetProperty("reportId").GetString() == id);
        Assert.Equal(listed.GetProperty("sequence").GetInt64(), alert.GetProperty("sequence").GetInt64());
        Assert.DoesNotContain(await platform.AlertsAfterAsync(cnToken, cnLast), a => a.GetProperty("reportId").GetString() == id);

        var counterpartRead = await platform.ClientWithToken(cnToken).GetAsync($"/api/v1/reports/{id}");
        Assert.Equal(HttpStatusCode.NotFound, counterpartRead.StatusCode);
        Assert.DoesNotContain(title, await counterpartRead.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Missed_alerts_are_listed_after_the_last_sequence_seen()
    {
        var usToken = await platform.TokenAsync("us-ncp-demo");
        var ncp = platform.ClientWithToken(usToken);
        var last = await platform.LastSequenceAsync(usToken);

        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var response = await lab.PostAsJsonAsync("/api/v1/reports", Platform.SampleReport($"E2E gap-fill {i} {Guid.NewGuid():N}"));
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        var deadline = Stopwatch.StartNew();
        List<JsonElement> missed;
        do
        {
            var page = await ncp.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?after={last}");
            missed = page.GetProperty("alerts").EnumerateArray().ToList();
            if (ids.All(id => missed.Any(a => a.GetProperty("reportId").GetString() == id)))
                break;
            await Task.Delay(100);
        } while (deadline.Elapsed < TimeSpan.FromSeconds(15));

        Assert.All(ids, id => Assert.Contains(missed, a => a.GetProperty("reportId").GetString() == id));
        var sequences = missed.Select(a => a.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.All(sequences, s => Assert.True(s > last));
    }

    [Fact]
    public async Task Bad_requests_through_the_edge_get_problems_and_file_nothing()
    {
        var usToken = await platform.TokenAsync("us-ncp-demo");
        var last = await platform.LastSequenceAsync(usToken);
        var marker = Guid.NewGuid().ToString("N");

        var noToken = await platform.ClientWithToken(null).PostAsJsonAsync("/api/v1/reports", Platform.SampleReport($"no token {marker}"));
        var badToken = await platform.ClientWithToken("eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl").PostAsJsonAsync("/api/v1/reports", Platform.SampleReport($"bad token {marker}"));
        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        var malformed = await lab.PostAsync("/api/v1/reports", new StringContent("{\"title\": ", Encoding.UTF8, "application/json"));
        var missing = await lab.PostAsJsonAsync("/api/v1/reports", new { title = $"only a title {marker}" });
        var tooLarge = await lab.PostAsync("/api/v1/reports", new StringContent(new string('x', 300_000), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        foreach (var response in new[] { noToken, badToken, malformed, missing, tooLarge })
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        // Other tests file reports meanwhile: look for these requests' own titles, not for a count.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(await platform.AlertsAfterAsync(usToken, last), a => a.GetProperty("title").GetString()!.Contains(marker));
    }

    [Fact]
    public async Task Hub_refuses_a_connection_without_a_valid_token_and_a_lab()
    {
        await using var anonymous = await HubListener.ConnectAsync(null);
        var refused = await anonymous.FirstEventAsync();
        Assert.Equal("error", refused.GetProperty("event").GetString());
        Assert.Equal(401, refused.GetProperty("statusCode").GetInt32());

        await using var lab = await HubListener.ConnectAsync(await platform.TokenAsync("us-lab-demo"));
        var forbidden = await lab.FirstEventAsync();
        Assert.Equal("error", forbidden.GetProperty("event").GetString());
        Assert.Equal(403, forbidden.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Officer_signs_in_with_a_session_cookie_and_reads_alerts_without_ever_holding_a_token()
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = Platform.Edge };

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/alerts")).StatusCode);
        var login = await browser.PostAsJsonAsync("/connect/login", new { userName = "us-officer", password = "Demo-US-officer-2026!" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.DoesNotContain("eyJ", await login.Content.ReadAsStringAsync());

        var alerts = await browser.GetAsync("/api/v1/alerts?after=0");
        Assert.Equal(HttpStatusCode.OK, alerts.StatusCode);
        // The edge's session-to-token exchange is internal only.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/connect/session-token")).StatusCode);

        var dashboard = await browser.GetStringAsync("/");
        Assert.Contains("IncidentExchange", dashboard);
    }
}
