using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Reports.Tests.Versions;

public sealed class ReportVersionsTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private static JsonObject Amended(string title, Action<JsonObject> change)
    {
        var report = JsonSerializer.SerializeToNode(ReportsFactory.ValidReport(title))!.AsObject();
        change(report);
        return report;
    }

    [Fact]
    public async Task Amendment_adds_a_version_keeps_the_first_and_shows_the_difference()
    {
        var id = await factory.FileAsync(ReportsFactory.ValidReport("Before amendment"));
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var amended = Amended("After amendment", r => r["timeline"]!["containment"] = "contained");

        var response = await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/versions", amended);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        var current = await factory.UsLabClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.Equal(2, current.GetProperty("version").GetInt32());
        Assert.Equal("After amendment", current.GetProperty("document").GetProperty("title").GetString());
        var first = await factory.UsLabClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}/versions/1");
        Assert.Equal("Before amendment", first.GetProperty("document").GetProperty("title").GetString());
        Assert.Equal(2, (await factory.UsLabClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}/versions")).GetArrayLength());

        var diff = await factory.UsLabClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}/versions/2/diff");
        var changes = diff.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("path").GetString()!);
        Assert.Equal(["timeline.containment", "title"], changes.Keys.Order());
        Assert.Equal(JsonValueKind.Null, changes["timeline.containment"].GetProperty("before").ValueKind);
        Assert.Equal("contained", changes["timeline.containment"].GetProperty("after").GetString());
        Assert.Equal("Before amendment", changes["title"].GetProperty("before").GetString());

        await Eventually.WaitUntilAsync(() => harness.Published.Select<ReportSubmitted>(m => m.Context.Message.ReportId == id && m.Context.Message.Version == 2).Any(),
            "version 2 was sent down the pipeline");
    }

    [Fact]
    public async Task A_real_report_cannot_become_an_exercise_and_an_invalid_version_changes_nothing()
    {
        var id = await factory.FileAsync();
        var exercise = await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/versions", Amended("now a drill", r => r["exercise"] = true));
        var invalid = await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/versions", Amended("bad", r => r.Remove("kind")));

        Assert.Equal(HttpStatusCode.BadRequest, exercise.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM report_versions WHERE report_id = '{id}'"));
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE body->>'reportId' = '{id}'"));
    }

    [Fact]
    public async Task Only_the_home_side_sees_or_amends_versions()
    {
        var id = await factory.FileAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await factory.UsOtherLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/versions", ReportsFactory.ValidReport())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CnContactPointClient().PostAsJsonAsync($"/api/v1/reports/{id}/versions", ReportsFactory.ValidReport())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CnContactPointClient().GetAsync($"/api/v1/reports/{id}/versions/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.UsOtherLabClient().GetAsync($"/api/v1/reports/{id}/versions")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{id}/versions", ReportsFactory.ValidReport("by the officer"))).StatusCode);
    }

    [Fact]
    public async Task Nullified_report_stays_on_record_and_cannot_be_amended_or_nullified_again()
    {
        var id = await factory.FileAsync(ReportsFactory.ValidReport("Filed in error"));
        var blank = await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/nullify", new { reason = " " });
        var nullified = await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/nullify", new { reason = "Filed against the wrong model." });

        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nullified.StatusCode);
        var report = await factory.UsLabClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.Equal("nullified", report.GetProperty("status").GetString());
        Assert.Equal("Filed against the wrong model.", report.GetProperty("nullified").GetProperty("reason").GetString());
        Assert.Equal("Filed in error", report.GetProperty("document").GetProperty("title").GetString());

        Assert.Equal(HttpStatusCode.Conflict, (await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/versions", ReportsFactory.ValidReport())).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/nullify", new { reason = "again" })).StatusCode);
    }

    [Fact]
    public async Task Status_moves_forward_with_the_pipeline_and_a_new_version_waits_for_its_own_assessment()
    {
        var id = await factory.FileAsync();
        await factory.AssessAsync(id, version: 1, level: 3);
        Assert.Equal("assessed", (await factory.UsLabClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}")).GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.Created, (await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/versions", ReportsFactory.ValidReport("v2"))).StatusCode);
        var report = await factory.UsLabClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.Equal(JsonValueKind.Null, report.GetProperty("severity").ValueKind);
        await factory.AssessAsync(id, version: 2, level: 5);
        Assert.Equal(5, (await factory.UsLabClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}")).GetProperty("severity").GetProperty("level").GetInt32());
    }
}
