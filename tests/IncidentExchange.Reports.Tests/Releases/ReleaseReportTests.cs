using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Reports.Tests.Releases;

public sealed class ReleaseReportTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private static object FullReport(string title, string tlp = "AMBER") => new
    {
        title,
        summary = "Weights of Frontier-2 are offered for sale; three shard hashes match our release candidate.",
        language = "en",
        kind = "incident",
        category = "weights-leak",
        harms = new[] { "property-community-environment" },
        impact = new { economicLossUsd = 40_000_000, nonStateActorsInvolved = true },
        model = new { name = "Frontier-2", version = "rc-2026-10", developer = "Example US Frontier Lab", access = "closed" },
        timeline = new { occurredAt = "2026-11-19T22:00:00Z", mitigations = "Build-cluster credentials rotated." },
        indicators = new[] { new { type = "weights", sha256 = new string('a', 64) } },
        tlp,
        reporterContact = new { name = "Security duty desk", email = "duty@lab.example" },
    };

    private async Task<Guid> FileAndAssessAsync(string title, string tlp = "AMBER")
    {
        var id = await factory.FileAsync(FullReport(title, tlp));
        await factory.AssessAsync(id);
        return id;
    }

    private Task<HttpResponseMessage> ReleaseAsync(Guid id, object release) =>
        factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{id}/releases", release);

    [Fact]
    public async Task Counterpart_sees_nothing_before_release_and_exactly_the_released_fields_after()
    {
        var id = await FileAndAssessAsync("Released with withholding");
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CnContactPointClient().GetAsync($"/api/v1/reports/{id}")).StatusCode);

        var response = await ReleaseAsync(id, new { toParty = "CN", tlp = "AMBER+STRICT", withhold = new[] { "indicators", "impact", "model.version" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var seen = await factory.CnContactPointClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        var document = seen.GetProperty("document");
        Assert.Equal("Released with withholding", document.GetProperty("title").GetString());
        Assert.Equal("AMBER+STRICT", document.GetProperty("tlp").GetString());
        Assert.Equal("AMBER+STRICT", seen.GetProperty("release").GetProperty("tlp").GetString());
        Assert.Equal("Frontier-2", document.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal("Build-cluster credentials rotated.", document.GetProperty("timeline").GetProperty("mitigations").GetString());
        // Withheld fields, and the reporter's contact, are absent — not blank.
        Assert.False(document.TryGetProperty("indicators", out _));
        Assert.False(document.TryGetProperty("impact", out _));
        Assert.False(document.GetProperty("model").TryGetProperty("version", out _));
        Assert.False(document.TryGetProperty("reporterContact", out _));
        var text = seen.GetRawText();
        Assert.DoesNotContain("duty@lab.example", text);
        Assert.DoesNotContain(new string('a', 64), text);
        Assert.DoesNotContain("organisationId", text);
        Assert.False(seen.GetProperty("updatedAtSource").GetBoolean());

        // The ncp-duty role of the counterpart reads it too; its labs never do.
        Assert.Equal(HttpStatusCode.OK, (await factory.CnDutyOnlyClient().GetAsync($"/api/v1/reports/{id}")).StatusCode);
        var cnLab = factory.ClientWithToken(TestTokens.Issue("CN", Guid.NewGuid(), "reporter"));
        Assert.Equal(HttpStatusCode.NotFound, (await cnLab.GetAsync($"/api/v1/reports/{id}")).StatusCode);

        var harness = factory.Services.GetRequiredService<ITestHarness>();
        await Eventually.WaitUntilAsync(() => harness.Published.Select<ReportReleased>(m => m.Context.Message.ReportId == id && m.Context.Message.ToParty == "CN").Any(),
            "the release was announced for the counterpart's alert");
    }

    [Fact]
    public async Task A_preview_is_exactly_what_the_release_then_gives_and_releases_nothing()
    {
        var id = await FileAndAssessAsync("Previewed before release");
        var request = new { toParty = "CN", tlp = "AMBER+STRICT", withhold = new[] { "indicators", "model.version" } };
        var preview = await factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{id}/releases/preview", request);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var shown = (await preview.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("view");
        Assert.False(shown.TryGetProperty("indicators", out _));
        Assert.False(shown.TryGetProperty("reporterContact", out _));
        Assert.Equal("AMBER+STRICT", shown.GetProperty("tlp").GetString());

        // Nothing left: the counterpart cannot read it, the report is not released, no release was announced.
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CnContactPointClient().GetAsync($"/api/v1/reports/{id}")).StatusCode);
        Assert.Equal(0, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM releases WHERE report_id = '{id}'"));
        Assert.Equal("assessed", await factory.Database.ScalarAsync<string>($"SELECT status FROM reports WHERE id = '{id}'"));

        var released = await ReleaseAsync(id, request);
        Assert.Equal(HttpStatusCode.Created, released.StatusCode);
        Assert.Equal(shown.GetRawText(), (await released.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("view").GetRawText());

        // A preview of a release that would be refused is refused the same way.
        var red = await factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{id}/releases/preview", new { toParty = "CN", tlp = "RED" });
        Assert.Equal(HttpStatusCode.BadRequest, red.StatusCode);
        Assert.True((await red.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("tlp", out _));
    }

    [Fact]
    public async Task A_new_version_after_release_is_flagged_to_the_counterpart_until_released_again()
    {
        var id = await FileAndAssessAsync("Released then amended");
        Assert.Equal(HttpStatusCode.Created, (await ReleaseAsync(id, new { toParty = "CN", tlp = "AMBER" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/versions", FullReport("Amended, not yet released"))).StatusCode);

        var seen = await factory.CnContactPointClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.True(seen.GetProperty("updatedAtSource").GetBoolean());
        Assert.Equal("Released then amended", seen.GetProperty("document").GetProperty("title").GetString());
        Assert.DoesNotContain("Amended, not yet released", seen.GetRawText());

        await factory.AssessAsync(id, version: 2);
        Assert.Equal(HttpStatusCode.Created, (await ReleaseAsync(id, new { toParty = "CN", tlp = "AMBER" })).StatusCode);
        seen = await factory.CnContactPointClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.False(seen.GetProperty("updatedAtSource").GetBoolean());
        Assert.Equal("Amended, not yet released", seen.GetProperty("document").GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("CN", "RED", "tlp")]
    [InlineData("CN", "GREEN", "tlp")] // looser than the reporter's AMBER
    [InlineData("CN", "PURPLE", "tlp")]
    [InlineData("US", "AMBER", "toParty")]
    [InlineData("FR", "AMBER", "toParty")]
    public async Task Invalid_release_is_refused_and_the_counterpart_still_sees_nothing(string toParty, string tlp, string field)
    {
        var id = await FileAndAssessAsync("Not released");
        var response = await ReleaseAsync(id, new { toParty, tlp });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CnContactPointClient().GetAsync($"/api/v1/reports/{id}")).StatusCode);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM releases WHERE report_id = '{id}'"));
    }

    [Fact]
    public async Task A_report_the_reporter_marked_red_is_never_released()
    {
        var id = await FileAndAssessAsync("Marked RED by the lab", tlp: "RED");
        var response = await ReleaseAsync(id, new { toParty = "CN", tlp = "AMBER+STRICT" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CnContactPointClient().GetAsync($"/api/v1/reports/{id}")).StatusCode);
    }

    [Fact]
    public async Task Only_the_home_officer_releases_and_unknown_withholdings_are_refused()
    {
        var id = await FileAndAssessAsync("Who releases?");
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/releases", new { toParty = "CN", tlp = "AMBER" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CnContactPointClient().PostAsJsonAsync($"/api/v1/reports/{id}/releases", new { toParty = "US", tlp = "AMBER" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ReleaseAsync(id, new { toParty = "CN", tlp = "AMBER", withhold = new[] { "title" } })).StatusCode);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM releases WHERE report_id = '{id}'"));
    }

    [Fact]
    public async Task Release_waits_for_an_assessment_and_nullification_tells_the_parties_it_was_released_to()
    {
        var id = await factory.FileAsync(FullReport("Released then withdrawn"));
        Assert.Equal(HttpStatusCode.Conflict, (await ReleaseAsync(id, new { toParty = "CN", tlp = "AMBER" })).StatusCode);
        await factory.AssessAsync(id);
        Assert.Equal(HttpStatusCode.Created, (await ReleaseAsync(id, new { toParty = "CN", tlp = "AMBER" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{id}/nullify", new { reason = "Duplicate of an earlier report." })).StatusCode);

        var seen = await factory.CnContactPointClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.Equal("nullified", seen.GetProperty("status").GetString());
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        await Eventually.WaitUntilAsync(() => harness.Published.Select<ReportNullified>(m => m.Context.Message.ReportId == id).Any(), "the nullification was announced");
        Assert.Equal(["CN"], harness.Published.Select<ReportNullified>(m => m.Context.Message.ReportId == id).Single().Context.Message.ReleasedTo);
        Assert.Equal(HttpStatusCode.Conflict, (await ReleaseAsync(id, new { toParty = "CN", tlp = "AMBER" })).StatusCode);
    }
}
