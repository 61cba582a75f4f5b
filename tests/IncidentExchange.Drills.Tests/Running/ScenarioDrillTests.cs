extern alias Reports;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Contracts.Alerts;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Drills.Tests.Running;

/// <summary>
/// A three-inject scenario (jailbreak-spread: US at 0, CN at 45, US at 90 minutes) run end to end on a moved clock:
/// injects filed through the real Reports API as exercise reports, each party's stamps scripted as the bus would
/// bring them, a pause that stops the drill's clock, and a restart of the Drills service mid-drill. The after-action
/// report must say exactly what the script made happen.
/// </summary>
public sealed class ScenarioDrillTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private readonly ServiceFactory<Reports::Program> _reports = new();
    private TestDatabase _database = null!;
    private DrillsHost _drills = null!;

    public async Task InitializeAsync()
    {
        _clock.Advance(TimeSpan.FromDays(-1)); // the drill's day lies in the past, so that no report's timeline is in Reports' future
        await _reports.InitializeAsync();
        _database = await TestDatabase.CreateAsync("drills");
        _drills = await DrillsHost.StartAsync(_database, _clock, _reports);
    }

    public async Task DisposeAsync()
    {
        await _drills.StopAsync();
        await _database.DisposeAsync();
        await ((IAsyncLifetime)_reports).DisposeAsync();
    }

    private HttpClient Coordinator(string party = "US") => _drills.ClientWithToken(TestTokens.Issue(party, Guid.NewGuid(), "coordinator"));

    private async Task<JsonElement> DrillAsync(Guid id, HttpClient? as_ = null) =>
        await (as_ ?? Coordinator()).GetFromJsonAsync<JsonElement>($"/api/v1/drills/{id}");

    private async Task<JsonElement> InjectFiledAsync(Guid drillId, int sequence)
    {
        JsonElement inject = default;
        await Eventually.WaitUntilAsync(async () =>
        {
            inject = (await DrillAsync(drillId)).GetProperty("injects")[sequence - 1];
            return inject.GetProperty("status").GetString() == "filed";
        }, $"inject {sequence} was filed");
        return inject;
    }

    /// <summary>A party's system stamped its alert about the report, this long after the inject was filed.</summary>
    private Task StampAsync(JsonElement inject, string party, string stamp, TimeSpan after, string? by = null) =>
        _drills.Services.GetRequiredService<ITestHarness>().Bus.Publish(new ExerciseAlertStamped(Guid.NewGuid(), party,
            party == inject.GetProperty("party").GetString() ? "report" : "report-released", inject.GetProperty("reportId").GetGuid(), 1, stamp,
            inject.GetProperty("filedAt").GetDateTimeOffset() + after, by ?? $"{party.ToLowerInvariant()}-duty"));

    private Task ReleasedAsync(JsonElement inject, TimeSpan after) =>
        _drills.Services.GetRequiredService<ITestHarness>().Bus.Publish(new ReportReleased(Guid.NewGuid(), inject.GetProperty("reportId").GetGuid(), 1,
            inject.GetProperty("party").GetString()!, "CN", "AMBER", "t", "jailbreak-spread", 3, "High", "高", true,
            inject.GetProperty("filedAt").GetDateTimeOffset() + after, "us-officer"));

    private async Task ObservedAsync(int count) =>
        await Eventually.WaitUntilAsync(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM observations") == count,
            $"{count} observations were recorded");

    private static JsonElement Expectation(JsonElement inject, string party, string action) =>
        inject.GetProperty("expectations").EnumerateArray().Single(e => e.GetProperty("party").GetString() == party && e.GetProperty("action").GetString() == action);

    [Fact]
    public async Task Three_injects_run_on_the_drills_clock_through_the_real_Reports_API_and_the_report_measures_exactly_what_happened()
    {
        var created = await Coordinator().PostAsJsonAsync("/api/v1/drills", new { scenario = "jailbreak-spread" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var drillId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // Inject 1 is filed at the start, as the US exercise lab, marked as exercise; inject 2 waits for its offset.
        var first = await InjectFiledAsync(drillId, 1);
        var report = await _reports.Database.ScalarAsync<string>(
            $"SELECT exercise::text || ' ' || organisation_id::text || ' ' || party FROM reports WHERE id = '{first.GetProperty("reportId").GetGuid()}'");
        Assert.Equal($"true {DrillsHost.Labs["us-exercise-lab"].Organisation} US", report);
        Assert.Equal("pending", (await DrillAsync(drillId)).GetProperty("injects")[1].GetProperty("status").GetString());

        await StampAsync(first, "US", "delivered", TimeSpan.FromMilliseconds(200), by: null);
        await StampAsync(first, "US", "acknowledged", TimeSpan.FromMinutes(10));
        await ReleasedAsync(first, TimeSpan.FromMinutes(50));
        await StampAsync(first, "CN", "delivered", TimeSpan.FromMinutes(50));
        await StampAsync(first, "CN", "acknowledged", TimeSpan.FromMinutes(100)); // limit 90
        await StampAsync(first, "US", "acknowledged", TimeSpan.FromMinutes(12), by: "second-officer"); // the earliest stands, in any order
        await ObservedAsync(5);

        _drills.Advance(TimeSpan.FromMinutes(45));
        var second = await InjectFiledAsync(drillId, 2);
        Assert.Equal("CN", second.GetProperty("party").GetString());
        await StampAsync(second, "CN", "acknowledged", TimeSpan.FromMinutes(20)); // limit 15; never released
        await ObservedAsync(6);

        // Paused at 60 minutes of drill time, an hour passes: inject 3 (at 90) does not go.
        _drills.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.OK, (await Coordinator().PostAsync($"/api/v1/drills/{drillId}/pause", null)).StatusCode);
        _drills.Advance(TimeSpan.FromMinutes(60));
        await Task.Delay(300);
        Assert.Equal("pending", (await DrillAsync(drillId)).GetProperty("injects")[2].GetProperty("status").GetString());

        // The Drills service restarts while the drill is paused; the new process resumes it and files inject 3 on time.
        await _drills.StopAsync();
        _drills = await DrillsHost.StartAsync(_database, _clock, _reports);
        Assert.Equal("paused", (await DrillAsync(drillId)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Coordinator().PostAsync($"/api/v1/drills/{drillId}/resume", null)).StatusCode);
        _drills.Advance(TimeSpan.FromMinutes(29));
        await Task.Delay(300);
        Assert.Equal("pending", (await DrillAsync(drillId)).GetProperty("injects")[2].GetProperty("status").GetString());
        _drills.Advance(TimeSpan.FromMinutes(1));
        var third = await InjectFiledAsync(drillId, 3);
        await StampAsync(third, "US", "acknowledged", TimeSpan.FromMinutes(5));
        await ReleasedAsync(third, TimeSpan.FromMinutes(40));
        await ObservedAsync(8);
        Assert.Equal(3, await _reports.Database.ScalarAsync<long>("SELECT count(*) FROM reports WHERE exercise"));

        // Every limit passes (inject 3's longest is 120 minutes): the drill finishes by itself.
        _drills.Advance(TimeSpan.FromMinutes(121));
        await Eventually.WaitUntilAsync(async () => (await DrillAsync(drillId)).GetProperty("status").GetString() == "finished", "the drill finished");

        var aar = await DrillAsync(drillId);
        var injects = aar.GetProperty("injects");
        var one = injects[0];
        var measures = one.GetProperty("measures").EnumerateArray()
            .Select(m => $"{m.GetProperty("party").GetString()} {m.GetProperty("stamp").GetString()} {m.GetProperty("seconds").GetDouble()}").ToList();
        Assert.Equal(["US delivered 0.2", "US acknowledged 600", "US released 3000", "CN delivered 3000", "CN acknowledged 6000"], measures);
        Assert.Equal("us-duty", one.GetProperty("measures")[1].GetProperty("by").GetString());
        Assert.Equal("met", Expectation(one, "US", "acknowledge").GetProperty("outcome").GetString());
        Assert.Equal("met", Expectation(one, "US", "release").GetProperty("outcome").GetString());
        Assert.Equal("late", Expectation(one, "CN", "acknowledge").GetProperty("outcome").GetString());
        Assert.Equal("late", Expectation(injects[1], "CN", "acknowledge").GetProperty("outcome").GetString());
        Assert.Equal("missed", Expectation(injects[1], "CN", "release").GetProperty("outcome").GetString());
        Assert.Equal("missed", Expectation(injects[1], "US", "acknowledge").GetProperty("outcome").GetString());
        Assert.Equal("met", Expectation(injects[2], "US", "acknowledge").GetProperty("outcome").GetString());
        Assert.Equal(2400, Expectation(injects[2], "US", "release").GetProperty("seconds").GetDouble());
        Assert.Equal("missed", Expectation(injects[2], "CN", "respond").GetProperty("outcome").GetString());

        var us = aar.GetProperty("scores").GetProperty("US");
        Assert.Equal((5, 4, 1, 80), (us.GetProperty("expected").GetInt32(), us.GetProperty("met").GetInt32(), us.GetProperty("missed").GetInt32(), us.GetProperty("score").GetInt32()));
        Assert.Equal(450, us.GetProperty("medianAcknowledgeSeconds").GetDouble()); // 600 and 300
        var cn = aar.GetProperty("scores").GetProperty("CN");
        Assert.Equal((4, 0, 2, 2, 0), (cn.GetProperty("expected").GetInt32(), cn.GetProperty("met").GetInt32(), cn.GetProperty("late").GetInt32(),
            cn.GetProperty("missed").GetInt32(), cn.GetProperty("score").GetInt32()));
        // 45 minutes + 15 + (paused an hour: not counted) + 30 + 121 of drill time, plus the seconds the test itself took.
        Assert.InRange(aar.GetProperty("elapsedSeconds").GetDouble(), 211 * 60, 211 * 60 + 30);

        // The export says the same, and a CN officer reads CN's results only.
        var csv = await Coordinator().GetStringAsync($"/api/v1/drills/{drillId}/report.csv");
        Assert.Contains("\"inject 1\",\"US\",\"CN\",\"expectation\",\"acknowledge\",90,", csv);
        Assert.EndsWith("6000,,\"late\"", csv.Split("\r\n").Single(l => l.Contains("\"inject 1\",\"US\",\"CN\",\"expectation\",\"acknowledge\"")));
        var cnView = await DrillAsync(drillId, _drills.ClientWithToken(TestTokens.Issue("CN", Guid.NewGuid(), "ncp-officer")));
        Assert.Equal(["CN"], cnView.GetProperty("scores").EnumerateObject().Select(p => p.Name));
        Assert.All(cnView.GetProperty("injects").EnumerateArray().SelectMany(i => i.GetProperty("measures").EnumerateArray()),
            m => Assert.Equal("CN", m.GetProperty("party").GetString()));
        Assert.All(cnView.GetProperty("injects").EnumerateArray().SelectMany(i => i.GetProperty("expectations").EnumerateArray()),
            e => Assert.Equal("CN", e.GetProperty("party").GetString()));

        var trend = await Coordinator().GetFromJsonAsync<JsonElement>("/api/v1/drills/trend?party=US");
        Assert.Equal(80, trend.GetProperty("drills").EnumerateArray().Single(d => d.GetProperty("drillId").GetGuid() == drillId)
            .GetProperty("score").GetProperty("score").GetInt32());
    }

    [Fact]
    public async Task An_inject_released_by_its_contact_point_is_released_as_exercise()
    {
        var created = await Coordinator().PostAsJsonAsync("/api/v1/drills", new { scenario = "critical-infrastructure-campaign" });
        var drillId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var reportId = (await InjectFiledAsync(drillId, 1)).GetProperty("reportId").GetGuid();

        var harness = _reports.Services.GetRequiredService<ITestHarness>();
        await harness.Bus.Publish(new SeverityAssessed(reportId, 1, "US", 5, "Critical", "危急", "1", "critical-infrastructure", "t", true, DateTimeOffset.UtcNow));
        await Eventually.WaitUntilAsync(async () => await _reports.Database.ScalarAsync<long>($"SELECT count(*) FROM reports WHERE id = '{reportId}' AND severity = 5") == 1,
            "the assessment reached Reports");
        var officer = _reports.ClientWithToken(TestTokens.Issue("US", Guid.NewGuid(), "ncp-officer"));
        var release = await officer.PostAsJsonAsync($"/api/v1/reports/{reportId}/releases", new { toParty = "CN", tlp = "AMBER" });
        Assert.Equal(HttpStatusCode.Created, release.StatusCode);
        await Eventually.WaitUntilAsync(() => harness.Published.Select<ReportReleased>().Any(m => m.Context.Message.ReportId == reportId),
            "the release was published");
        Assert.All(harness.Published.Select<ReportReleased>().Where(m => m.Context.Message.ReportId == reportId), m => Assert.True(m.Context.Message.Exercise));
    }
}
