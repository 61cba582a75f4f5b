using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Contracts.Drills;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Alerts.Tests.Listing;

public sealed class AlertStatisticsTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private ITestHarness Harness => factory.Services.GetRequiredService<ITestHarness>();

    private HttpClient Us(params string[] roles) => factory.ClientWithToken(TestTokens.Issue("US", Guid.NewGuid(), roles));

    private async Task<Guid> AssessedAsync(int level, bool exercise)
    {
        var reportId = Guid.NewGuid();
        await Harness.Bus.Publish(new SeverityAssessed(reportId, 1, "US", level, "L", "级", "1", "weights-leak", "t", exercise, DateTimeOffset.UtcNow));
        await Eventually.WaitUntilAsync(async () => await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE report_id = '{reportId}'") == 1,
            "the alert was raised");
        return await factory.Database.ScalarAsync<Guid>($"SELECT id FROM alerts WHERE report_id = '{reportId}'");
    }

    [Fact]
    public async Task Real_statistics_leave_exercise_traffic_out()
    {
        var real = await AssessedAsync(3, exercise: false);
        var drill = await AssessedAsync(5, exercise: true);
        var checkId = Guid.NewGuid();
        await Harness.Bus.Publish(new CommunicationCheckSent(checkId, Guid.NewGuid(), "US", "EXERCISE — check", 5, DateTimeOffset.UtcNow));
        await Eventually.WaitUntilAsync(async () => await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE report_id = '{checkId}'") == 1,
            "the check was raised");
        foreach (var alert in new[] { real, drill })
            Assert.Equal(HttpStatusCode.OK, (await Us("ncp-duty").PostAsync($"/api/v1/alerts/{alert}/ack", null)).StatusCode);

        var stats = await Us("ncp-officer").GetFromJsonAsync<JsonElement>("/api/v1/alerts/statistics");
        Assert.Equal(1, stats.GetProperty("alerts").GetInt32());
        Assert.Equal(1, stats.GetProperty("byKind").GetProperty("report").GetInt32());
        Assert.False(stats.GetProperty("byKind").TryGetProperty("communication-check", out _));
        Assert.Equal(3, stats.GetProperty("byLevel").EnumerateArray().Single().GetProperty("level").GetInt32());
        Assert.Equal((1, 1), (stats.GetProperty("acknowledged").GetInt32(), stats.GetProperty("acknowledgedWithinLimit").GetInt32()));
        Assert.Equal(2, stats.GetProperty("exerciseAlertsLeftOut").GetInt32());

        var cn = await factory.ClientWithToken(TestTokens.Issue("CN", Guid.NewGuid(), "auditor")).GetFromJsonAsync<JsonElement>("/api/v1/alerts/statistics");
        Assert.Equal((0, 0), (cn.GetProperty("alerts").GetInt32(), cn.GetProperty("exerciseAlertsLeftOut").GetInt32()));
        Assert.Equal(HttpStatusCode.Forbidden, (await Us("reporter").GetAsync("/api/v1/alerts/statistics")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Us("ncp-officer").GetAsync("/api/v1/alerts/statistics?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")).StatusCode);
    }
}
