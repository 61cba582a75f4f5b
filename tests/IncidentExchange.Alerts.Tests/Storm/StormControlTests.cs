using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Alerts.Storm;
using IncidentExchange.Alerts.Tests.Escalation;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Alerts.Tests.Storm;

/// <summary>Alert storms: an incident's alerts fold under its first, low levels go to a digest when the party chose so.</summary>
public sealed class StormControlTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private readonly SmtpSink _sink = new();
    private TestDatabase? _database;
    private AlertsHost? _host;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("alerts-storm");
        _host = await AlertsHost.StartAsync(_database, _clock, _sink);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.StopAsync();
        await _sink.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    private HttpClient Client(string party, params string[] roles) => _host!.ClientWithToken(TestTokens.Issue(party, Guid.NewGuid(), roles));

    private async Task<JsonElement> AlertOfAsync(Guid reportId, int level, Guid? incident)
    {
        await _host!.Services.GetRequiredService<ITestHarness>().Bus.Publish(new SeverityAssessed(reportId, 1, "US", level, "L", "级", "1", "jailbreak-spread",
            $"Report {reportId:N}", false, DateTimeOffset.UtcNow, IncidentId: incident));
        await Eventually.WaitUntilAsync(async () => await _database!.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE report_id = '{reportId}'") == 1,
            "the alert was raised");
        var id = await _database!.ScalarAsync<Guid>($"SELECT id FROM alerts WHERE report_id = '{reportId}'");
        return await Client("US", "ncp-duty").GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{id}");
    }

    [Fact]
    public async Task Alerts_of_one_incident_fold_under_the_first_escalate_once_and_are_acknowledged_together()
    {
        var incident = Guid.NewGuid();
        var lead = await AlertOfAsync(Guid.NewGuid(), 4, incident);
        var folded = await AlertOfAsync(Guid.NewGuid(), 3, incident);
        var higher = await AlertOfAsync(Guid.NewGuid(), 5, incident); // never folded under a lower level
        var other = await AlertOfAsync(Guid.NewGuid(), 4, Guid.NewGuid());
        var leadId = lead.GetProperty("alertId").GetString();
        Assert.Equal(JsonValueKind.Null, lead.GetProperty("groupedUnder").ValueKind);
        Assert.Equal(leadId, folded.GetProperty("groupedUnder").GetString());
        Assert.Equal(JsonValueKind.Null, higher.GetProperty("groupedUnder").ValueKind);
        Assert.Equal(JsonValueKind.Null, other.GetProperty("groupedUnder").ValueKind);

        // Past every acknowledgement limit (30 min for level 4): the folded alert does not escalate on its own.
        _host!.Advance(TimeSpan.FromMinutes(31));
        await Eventually.WaitUntilAsync(async () => await _database!.ScalarAsync<long>("SELECT count(DISTINCT alert_id) FROM escalations") == 3,
            "the lead, the higher and the other alert escalated");
        await Task.Delay(500);
        Assert.Equal(0L, await _database!.ScalarAsync<long>($"SELECT count(*) FROM escalations WHERE alert_id = '{folded.GetProperty("alertId").GetString()}'"));

        var ack = await Client("US", "ncp-duty").PostAsync($"/api/v1/alerts/{leadId}/ack", null);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Equal(2L, await _database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE id IN ('{leadId}', '{folded.GetProperty("alertId").GetString()}') AND acknowledged_at IS NOT NULL"));
        Assert.Equal(0L, await _database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE id = '{higher.GetProperty("alertId").GetString()}' AND acknowledged_at IS NOT NULL"));

        // A storm is a burst: a report of the incident an hour after its unacknowledged first alert stands on its own.
        _host.Advance(TimeSpan.FromMinutes(61));
        var later = await AlertOfAsync(Guid.NewGuid(), 4, incident);
        Assert.Equal(JsonValueKind.Null, later.GetProperty("groupedUnder").ValueKind);
    }

    [Fact]
    public async Task A_party_that_chose_a_digest_gets_its_low_levels_in_it_and_its_serious_ones_live()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Client("US", "ncp-officer").PutAsJsonAsync("/api/v1/alerts/settings", new { digestUpToLevel = 2, digestEveryMinutes = 10 })).StatusCode);
        var invalid = await Client("US", "admin").PutAsJsonAsync("/api/v1/alerts/settings", new { digestUpToLevel = 4, digestEveryMinutes = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(2, (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Count());
        Assert.Equal(0L, await _database!.ScalarAsync<long>("SELECT count(*) FROM party_settings"));

        var set = await Client("US", "admin").PutAsJsonAsync("/api/v1/alerts/settings", new { digestUpToLevel = 2, digestEveryMinutes = 10 });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var cn = await Client("CN", "ncp-officer").GetFromJsonAsync<JsonElement>("/api/v1/alerts/settings");
        Assert.Equal(0, cn.GetProperty("digestUpToLevel").GetInt32()); // one party's choice is its own

        var low = await AlertOfAsync(Guid.NewGuid(), 2, null);
        var serious = await AlertOfAsync(Guid.NewGuid(), 4, null);
        Assert.True(low.GetProperty("digest").GetBoolean());
        Assert.False(serious.GetProperty("digest").GetBoolean());

        // The first digest goes at the next sweep, the next one only after the party's interval.
        var digest = _host!.Services.GetRequiredService<DigestSignal>();
        digest.Wake();
        await Eventually.WaitUntilAsync(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE digest AND digested_at IS NOT NULL") == 1,
            "the digest was sent");
        var later = await AlertOfAsync(Guid.NewGuid(), 1, null);
        digest.Wake();
        await Task.Delay(500);
        Assert.Equal(0L, await _database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE id = '{later.GetProperty("alertId").GetString()}' AND digested_at IS NOT NULL"));
        _clock.Advance(TimeSpan.FromMinutes(10));
        digest.Wake();
        await Eventually.WaitUntilAsync(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE digest AND digested_at IS NOT NULL") == 2,
            "the next digest was sent after the interval");
    }

    [Fact]
    public async Task An_unreleased_serious_report_escalates_when_its_deadline_to_notify_the_counterpart_passes()
    {
        var reportId = Guid.NewGuid();
        await _host!.Services.GetRequiredService<ITestHarness>().Bus.Publish(new SeverityAssessed(reportId, 1, "US", 5, "Critical", "危急", "1",
            "weights-leak", "Weights", false, DateTimeOffset.UtcNow, AcknowledgeWithinMinutes: null, RespondWithinMinutes: null, NotifyCounterpartWithinHours: 4));
        await Eventually.WaitUntilAsync(async () => await _database!.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE report_id = '{reportId}'") == 1,
            "the alert was raised");
        var alertId = await _database!.ScalarAsync<Guid>($"SELECT id FROM alerts WHERE report_id = '{reportId}'");

        _host.Advance(TimeSpan.FromHours(3));
        await Task.Delay(500);
        Assert.Equal(0L, await _database.ScalarAsync<long>($"SELECT count(*) FROM escalations WHERE alert_id = '{alertId}'"));
        _host.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        await Eventually.WaitUntilAsync(async () => await _database.ScalarAsync<string>(
                $"SELECT coalesce(string_agg(stamp || ':' || role, ','), '') FROM escalations WHERE alert_id = '{alertId}'") == "counterpart:ncp-duty",
            "the duty officers were told the counterpart has not been notified");
        await Eventually.WaitUntilAsync(() => _sink.Received.Any(m => m.Subject.Contains("not notified to the counterpart")), "the e-mail went out");
    }

    [Fact]
    public async Task An_alert_escalates_by_the_ladder_of_the_rule_set_that_set_its_limits()
    {
        var reportId = Guid.NewGuid();
        await _host!.Services.GetRequiredService<ITestHarness>().Bus.Publish(new SeverityAssessed(reportId, 1, "US", 4, "High", "高", "7",
            "weights-leak", "Weights", false, DateTimeOffset.UtcNow, AcknowledgeWithinMinutes: 10, RespondWithinMinutes: null,
            Escalation: [new EscalationStep(0, "ncp-officer"), new EscalationStep(5, "admin")]));
        await Eventually.WaitUntilAsync(async () => await _database!.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE report_id = '{reportId}'") == 1,
            "the alert was raised");
        var alertId = await _database!.ScalarAsync<Guid>($"SELECT id FROM alerts WHERE report_id = '{reportId}'");

        _host.Advance(TimeSpan.FromMinutes(16));
        await Eventually.WaitUntilAsync(async () => await _database.ScalarAsync<string>(
                $"SELECT coalesce(string_agg(step || ':' || role, ',' ORDER BY step), '') FROM escalations WHERE alert_id = '{alertId}'") == "0:ncp-officer,1:admin",
            "the agreed ladder was climbed, not the protocol's");
    }
}
