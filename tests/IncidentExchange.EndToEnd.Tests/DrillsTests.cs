using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Testing;

namespace IncidentExchange.EndToEnd.Tests;

/// <summary>
/// Drills on the production path, through the edge: a communication check reaches the US duty officers' hub as an
/// EXERCISE alert and their acknowledgement is measured; a scenario's first inject is filed by the exercise lab's own
/// machine client through the Reports API and alerts the US contact point as exercise traffic.
/// </summary>
public sealed class DrillsTests(Platform platform) : IClassFixture<Platform>
{
    private async Task<JsonElement> DrillAsync(HttpClient coordinator, Guid id) =>
        await coordinator.GetFromJsonAsync<JsonElement>($"/api/v1/drills/{id}");

    [Fact]
    public async Task A_communication_check_arrives_live_as_exercise_and_its_acknowledgement_is_measured()
    {
        var coordinator = platform.ClientWithToken(await platform.TokenAsync("coordinator-demo"));
        var usToken = await platform.TokenAsync("us-ncp-demo");
        await using var us = await HubListener.ConnectAsync(usToken);
        Assert.Equal("connected", (await us.FirstEventAsync()).GetProperty("event").GetString());

        var created = await coordinator.PostAsJsonAsync("/api/v1/drills", new { communicationCheck = new { parties = new[] { "US" }, acknowledgeWithinMinutes = 5 } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var drillId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        JsonElement drill = default;
        await Eventually.WaitUntilAsync(async () => (drill = await DrillAsync(coordinator, drillId)).GetProperty("checks").GetArrayLength() == 1, "the check was sent");
        var checkId = drill.GetProperty("checks")[0].GetProperty("id").GetGuid();
        var alert = await us.WaitForAlertAsync(a => a.GetProperty("reportId").GetGuid() == checkId, "the check's alert reached the US hub");
        Assert.Equal("communication-check", alert.GetProperty("kind").GetString());
        Assert.True(alert.GetProperty("exercise").GetBoolean());
        Assert.Contains("EXERCISE", alert.GetProperty("title").GetString());

        var ack = await platform.ClientWithToken(usToken).PostAsync($"/api/v1/alerts/{alert.GetProperty("alertId").GetGuid()}/ack", null);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        await Eventually.WaitUntilAsync(async () => (drill = await DrillAsync(coordinator, drillId)).GetProperty("status").GetString() == "finished",
            "the drill finished once the only check was acknowledged");
        var expectation = drill.GetProperty("checks")[0].GetProperty("expectation");
        Assert.Equal("met", expectation.GetProperty("outcome").GetString());
        Assert.InRange(expectation.GetProperty("seconds").GetDouble(), 0, 300);
        Assert.Equal(100, drill.GetProperty("scores").GetProperty("US").GetProperty("score").GetInt32());
    }

    [Fact]
    public async Task A_scenarios_inject_is_filed_by_the_exercise_lab_and_alerts_the_contact_point_as_exercise()
    {
        var coordinator = platform.ClientWithToken(await platform.TokenAsync("coordinator-demo"));
        var usToken = await platform.TokenAsync("us-ncp-demo");
        await using var us = await HubListener.ConnectAsync(usToken);
        Assert.Equal("connected", (await us.FirstEventAsync()).GetProperty("event").GetString());

        var created = await coordinator.PostAsJsonAsync("/api/v1/drills", new { scenario = "critical-infrastructure-campaign" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var drillId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        try
        {
            JsonElement inject = default;
            await Eventually.WaitUntilAsync(async () =>
                (inject = (await DrillAsync(coordinator, drillId)).GetProperty("injects")[0]).GetProperty("status").GetString() == "filed", "inject 1 was filed");
            var reportId = inject.GetProperty("reportId").GetGuid();

            var alert = await us.WaitForAlertAsync(a => a.GetProperty("reportId").GetGuid() == reportId, "the inject's alert reached the US hub");
            Assert.True(alert.GetProperty("exercise").GetBoolean());
            var report = await platform.ClientWithToken(usToken).GetFromJsonAsync<JsonElement>($"/api/v1/reports/{reportId}");
            Assert.True(report.GetProperty("exercise").GetBoolean());
            await Eventually.WaitUntilAsync(async () => (await DrillAsync(coordinator, drillId)).GetProperty("injects")[0].GetProperty("measures").EnumerateArray()
                .Any(m => m.GetProperty("party").GetString() == "US" && m.GetProperty("stamp").GetString() == "delivered"), "the US delivery was measured");
            // Inject 2 is 30 minutes away on the drill's clock.
            Assert.Equal("pending", (await DrillAsync(coordinator, drillId)).GetProperty("injects")[1].GetProperty("status").GetString());
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync($"/api/v1/drills/{drillId}/stop", null)).StatusCode);
        }
    }
}
