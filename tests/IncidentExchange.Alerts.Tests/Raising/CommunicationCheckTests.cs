using System.Net;
using System.Text.Json;
using System.Net.Http.Json;
using IncidentExchange.Contracts.Alerts;
using IncidentExchange.Contracts.Drills;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Alerts.Tests.Raising;

/// <summary>A coordinator's communication check becomes an exercise alert; exercise alerts' stamps go to the bus for the Drills service, real ones do not.</summary>
public sealed class CommunicationCheckTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private ITestHarness Harness => factory.Services.GetRequiredService<ITestHarness>();

    private HttpClient UsDuty => factory.ClientWithToken(TestTokens.Issue("US", Guid.NewGuid(), "ncp-duty"));

    private async Task<Guid> AlertOfAsync(Guid reportId)
    {
        await Eventually.WaitUntilAsync(async () => await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE report_id = '{reportId}'") == 1,
            "the alert was raised");
        return await factory.Database.ScalarAsync<Guid>($"SELECT id FROM alerts WHERE report_id = '{reportId}'");
    }

    private List<ExerciseAlertStamped> Stamped(Guid alertId) =>
        Harness.Published.Select<ExerciseAlertStamped>().Select(m => m.Context.Message).Where(m => m.AlertId == alertId).ToList();

    [Fact]
    public async Task A_check_is_an_exercise_alert_to_acknowledge_within_its_limit_and_its_stamps_are_announced()
    {
        var checkId = Guid.NewGuid();
        await Harness.Bus.Publish(new CommunicationCheckSent(checkId, Guid.NewGuid(), "US", "EXERCISE — communication check", 7, DateTimeOffset.UtcNow));
        var alertId = await AlertOfAsync(checkId);

        var alert = await UsDuty.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{alertId}");
        Assert.Equal("communication-check", alert.GetProperty("kind").GetString());
        Assert.True(alert.GetProperty("exercise").GetBoolean());
        var stamps = alert.GetProperty("stamps");
        Assert.Equal(stamps.GetProperty("delivered").GetProperty("at").GetDateTimeOffset().AddMinutes(7),
            stamps.GetProperty("acknowledged").GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, stamps.GetProperty("responded").GetProperty("dueAt").ValueKind);

        await Eventually.WaitUntilAsync(() => Stamped(alertId).Any(s => s.Stamp == "delivered"), "delivered was announced");
        Assert.Equal(HttpStatusCode.OK, (await UsDuty.PostAsync($"/api/v1/alerts/{alertId}/ack", null)).StatusCode);
        await Eventually.WaitUntilAsync(() => Stamped(alertId).Any(s => s.Stamp == "acknowledged"), "acknowledged was announced");
        var acknowledged = Stamped(alertId).Single(s => s.Stamp == "acknowledged");
        Assert.Equal((checkId, "US", "communication-check"), (acknowledged.ReportId, acknowledged.Party, acknowledged.Kind));
        Assert.StartsWith("test-us-", acknowledged.By);
        Assert.Equal(2, Stamped(alertId).Count); // a second acknowledgement changes nothing and says nothing
        Assert.Equal(HttpStatusCode.OK, (await UsDuty.PostAsync($"/api/v1/alerts/{alertId}/ack", null)).StatusCode);
        await Task.Delay(300);
        Assert.Equal(2, Stamped(alertId).Count);
    }

    [Fact]
    public async Task A_real_alerts_stamps_are_not_announced()
    {
        var reportId = Guid.NewGuid();
        await Harness.Bus.Publish(new SeverityAssessed(reportId, 1, "US", 3, "Elevated", "较高", "1", "weights-leak", "Real", false, DateTimeOffset.UtcNow));
        var alertId = await AlertOfAsync(reportId);
        Assert.Equal(HttpStatusCode.OK, (await UsDuty.PostAsync($"/api/v1/alerts/{alertId}/ack", null)).StatusCode);
        await Task.Delay(500);
        Assert.Empty(Stamped(alertId));
    }
}
