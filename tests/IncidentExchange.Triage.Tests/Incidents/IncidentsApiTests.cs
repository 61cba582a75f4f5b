using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Testing;

namespace IncidentExchange.Triage.Tests.Incidents;

public sealed class IncidentsApiTests(TriageFactory factory) : IClassFixture<TriageFactory>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static IEnumerable<Guid> ReportIds(JsonElement incident) =>
        incident.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("reportId").GetGuid());

    [Fact]
    public async Task Home_contact_point_sees_the_incident_with_each_link_its_score_and_reason()
    {
        var (a, b, incident) = await factory.TwoOfOneEventAsync();

        var found = await Json(await factory.UsDutyOnly().GetAsync($"/api/v1/incidents?reportId={b.ReportId}"));
        Assert.Equal(incident, found.GetProperty("incidents").EnumerateArray().Single().GetProperty("id").GetGuid());
        Assert.Equal(2, found.GetProperty("incidents")[0].GetProperty("reports").GetInt32());
        Assert.Equal(1, found.GetProperty("incidents")[0].GetProperty("proposed").GetInt32());

        var view = await Json(await factory.UsDutyOnly().GetAsync($"/api/v1/incidents/{incident}"));
        Assert.Equal(a.Title, view.GetProperty("title").GetString());
        var links = view.GetProperty("reports").EnumerateArray().ToList();
        Assert.Equal([a.ReportId, b.ReportId], links.Select(l => l.GetProperty("reportId").GetGuid()));
        Assert.Equal(["opened", "proposed"], links.Select(l => l.GetProperty("state").GetString()));
        Assert.True(links[1].GetProperty("score").GetDouble() >= 0.45);
        Assert.Contains("text similarity", links[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Other_party_and_labs_cannot_read_or_decide_and_duty_officers_cannot_decide()
    {
        var (_, b, incident) = await factory.TwoOfOneEventAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await factory.CnOfficer().GetAsync($"/api/v1/incidents/{incident}")).StatusCode);
        Assert.Empty((await Json(await factory.CnOfficer().GetAsync($"/api/v1/incidents?reportId={b.ReportId}"))).GetProperty("incidents").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CnOfficer().PostAsync($"/api/v1/incidents/{incident}/reports/{b.ReportId}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.UsLabClient().GetAsync($"/api/v1/incidents/{incident}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.UsDutyOnly().PostAsync($"/api/v1/incidents/{incident}/reports/{b.ReportId}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWithToken(null).GetAsync("/api/v1/incidents")).StatusCode);

        var view = await Json(await factory.UsOfficer().GetAsync($"/api/v1/incidents/{incident}"));
        Assert.All(view.GetProperty("reports").EnumerateArray(), r => Assert.NotEqual("confirmed", r.GetProperty("state").GetString()));
        Assert.Empty(view.GetProperty("decisions").EnumerateArray());
    }

    [Fact]
    public async Task Confirm_records_who_decided()
    {
        var (_, b, incident) = await factory.TwoOfOneEventAsync();

        var response = await factory.UsOfficer().PostAsync($"/api/v1/incidents/{incident}/reports/{b.ReportId}/confirm", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var link = (await Json(response)).GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("reportId").GetGuid() == b.ReportId);
        Assert.Equal("confirmed", link.GetProperty("state").GetString());
        Assert.StartsWith("test-us-", link.GetProperty("decidedBy").GetString());
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM link_decisions WHERE report_id = '{b.ReportId}' AND decision = 'confirm'"));
    }

    [Fact]
    public async Task Reject_gives_the_report_an_incident_of_its_own_and_a_lone_report_cannot_be_rejected()
    {
        var (a, b, incident) = await factory.TwoOfOneEventAsync();

        var response = await factory.UsOfficer().PostAsync($"/api/v1/incidents/{incident}/reports/{b.ReportId}/reject", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var own = await Json(response);
        Assert.NotEqual(incident, own.GetProperty("id").GetGuid());
        Assert.Equal([b.ReportId], ReportIds(own));
        Assert.Equal([a.ReportId], ReportIds(await Json(await factory.UsOfficer().GetAsync($"/api/v1/incidents/{incident}"))));

        var lone = await factory.UsOfficer().PostAsync($"/api/v1/incidents/{incident}/reports/{a.ReportId}/reject", null);
        Assert.Equal(HttpStatusCode.Conflict, lone.StatusCode);
        Assert.Equal("application/problem+json", lone.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.UsOfficer().PostAsync($"/api/v1/incidents/{incident}/reports/{b.ReportId}/reject", null)).StatusCode);
    }

    [Fact]
    public async Task Merge_moves_every_report_and_leaves_the_merged_incident_on_record()
    {
        var (a, b, first) = await factory.TwoOfOneEventAsync();
        var (c, d, second) = await factory.TwoOfOneEventAsync();

        var response = await factory.UsOfficer().PostAsJsonAsync($"/api/v1/incidents/{first}/merge", new { into = second });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var merged = await Json(response);
        Assert.Equal(second, merged.GetProperty("id").GetGuid());
        Assert.Equal(new[] { a.ReportId, b.ReportId, c.ReportId, d.ReportId }.Order(), ReportIds(merged).Order());
        var old = await Json(await factory.UsOfficer().GetAsync($"/api/v1/incidents/{first}"));
        Assert.Equal(second, old.GetProperty("mergedInto").GetGuid());
        Assert.Equal("merge", old.GetProperty("decisions")[0].GetProperty("decision").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await factory.UsOfficer().PostAsync($"/api/v1/incidents/{first}/reports/{a.ReportId}/confirm", null)).StatusCode);
    }

    [Fact]
    public async Task Merge_refuses_itself_another_partys_incident_and_a_missing_target_changing_nothing()
    {
        var (_, _, incident) = await factory.TwoOfOneEventAsync();
        var cn = await factory.GroupAsync(TriageFactory.Report("CN report", "Something else entirely.", party: "CN"));

        foreach (var body in new object[] { new { into = incident }, new { into = cn }, new { into = Guid.NewGuid() }, new { } })
        {
            var response = await factory.UsOfficer().PostAsJsonAsync($"/api/v1/incidents/{incident}/merge", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("into", out _));
        }
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM link_decisions WHERE incident_id = '{incident}'"));
        Assert.Equal(2L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM incident_links WHERE incident_id = '{incident}'"));
    }

    [Fact]
    public async Task Split_moves_the_chosen_reports_to_a_new_incident_and_refuses_a_split_that_empties_it()
    {
        var (a, b, incident) = await factory.TwoOfOneEventAsync();

        foreach (var body in new object[] { new { reportIds = new[] { a.ReportId, b.ReportId } }, new { reportIds = new[] { Guid.NewGuid() } },
                     new { reportIds = Array.Empty<Guid>() }, new { reportIds = new[] { b.ReportId, b.ReportId } } })
            Assert.Equal(HttpStatusCode.BadRequest, (await factory.UsOfficer().PostAsJsonAsync($"/api/v1/incidents/{incident}/split", body)).StatusCode);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM link_decisions WHERE incident_id = '{incident}'"));

        var response = await factory.UsOfficer().PostAsJsonAsync($"/api/v1/incidents/{incident}/split", new { reportIds = new[] { b.ReportId } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var split = await Json(response);
        Assert.Equal([b.ReportId], ReportIds(split));
        Assert.Equal("confirmed", split.GetProperty("reports")[0].GetProperty("state").GetString());
        Assert.Equal([a.ReportId], ReportIds(await Json(await factory.UsOfficer().GetAsync($"/api/v1/incidents/{incident}"))));
    }
}
