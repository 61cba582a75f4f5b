using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentExchange.EndToEnd.Tests;

/// <summary>The bilateral step on the real platform: a home contact point releases a report, the counterpart is alerted live.</summary>
public sealed class ReleaseTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task Released_report_alerts_the_counterpart_live_and_shows_it_only_the_released_fields()
    {
        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        var usToken = await platform.TokenAsync("us-ncp-demo");
        var cnToken = await platform.TokenAsync("cn-ncp-demo");
        await using var us = await HubListener.ConnectAsync(usToken);
        await using var cn = await HubListener.ConnectAsync(cnToken);
        await us.FirstEventAsync();
        await cn.FirstEventAsync();

        var title = $"E2E release {Guid.NewGuid():N}";
        var filed = await lab.PostAsJsonAsync("/api/v1/reports", Platform.SampleReport(title));
        var id = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        // The release needs the assessment, which the home alert follows.
        await us.WaitForAlertAsync(a => a.GetProperty("reportId").GetString() == id, "the US contact point was alerted");

        var officer = platform.ClientWithToken(usToken);
        var released = await officer.PostAsJsonAsync($"/api/v1/reports/{id}/releases", new { toParty = "CN", tlp = "AMBER+STRICT", withhold = new[] { "timeline.detectedAt" } });
        Assert.Equal(HttpStatusCode.Created, released.StatusCode);

        var alert = await cn.WaitForAlertAsync(a => a.GetProperty("reportId").GetString() == id, "the CN contact point was alerted of the release");
        Assert.Equal("report-released", alert.GetProperty("kind").GetString());
        Assert.Equal("CN", alert.GetProperty("party").GetString());
        Assert.Equal(title, alert.GetProperty("title").GetString());

        var home = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.True(home.GetProperty("document").GetProperty("timeline").TryGetProperty("detectedAt", out _));
        Assert.Equal("released", home.GetProperty("status").GetString());
        var seen = await platform.ClientWithToken(cnToken).GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.Equal("AMBER+STRICT", seen.GetProperty("document").GetProperty("tlp").GetString());
        Assert.False(seen.GetProperty("document").GetProperty("timeline").TryGetProperty("detectedAt", out _));
        Assert.False(seen.TryGetProperty("organisationId", out _));

        // The counterpart's labs never see it.
        var cnLab = platform.ClientWithToken(await platform.TokenAsync("cn-lab-demo"));
        Assert.Equal(HttpStatusCode.NotFound, (await cnLab.GetAsync($"/api/v1/reports/{id}")).StatusCode);

        // CN acknowledges from the hub; the US, which sent it, sees the stamp arrive live and in the record. The US cannot
        // acknowledge CN's alert: to it, the alert does not exist.
        var alertId = alert.GetProperty("alertId").GetString()!;
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("stamps").GetProperty("acknowledged").GetProperty("at").ValueKind);
        await us.InvokeAsync("Acknowledge", alertId);
        Assert.Contains("Alert not found", (await us.WaitForEventAsync("invoke-failed", _ => true, "the US acknowledgement was refused")).GetProperty("message").GetString());
        await cn.InvokeAsync("Acknowledge", alertId);
        var invoked = await cn.WaitForEventAsync("invoked", _ => true, "CN's acknowledgement was answered");
        Assert.Equal("cn-ncp-demo", invoked.GetProperty("result").GetProperty("acknowledged").GetProperty("by").GetString());
        var stamped = await us.WaitForEventAsync("stamped", e => e.GetProperty("stamped").GetProperty("alertId").GetString() == alertId,
            "the US dashboard heard of the acknowledgement");
        Assert.Equal("CN", stamped.GetProperty("stamped").GetProperty("party").GetString());
        var sent = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/sent?reportId={id}");
        Assert.Equal("cn-ncp-demo", sent.GetProperty("alerts")[0].GetProperty("stamps").GetProperty("acknowledged").GetProperty("by").GetString());
    }
}
