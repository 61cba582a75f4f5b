using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentExchange.Reports.Tests.Reading;

public sealed class GetReportTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private async Task<Guid> FileAsync()
    {
        var response = await factory.UsLabClient().PostAsJsonAsync("/api/v1/reports", ReportsFactory.ValidReport("Visible to whom?"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Filing_lab_reads_its_report_as_filed()
    {
        var id = await FileAsync();
        var report = await factory.UsLabClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.Equal("submitted", report.GetProperty("status").GetString());
        Assert.Equal(1, report.GetProperty("version").GetInt32());
        Assert.False(report.GetProperty("exercise").GetBoolean());
        var document = report.GetProperty("document");
        Assert.Equal("Visible to whom?", document.GetProperty("title").GetString());
        Assert.Equal("Frontier-1", document.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal("AMBER", document.GetProperty("tlp").GetString());
        Assert.False(document.TryGetProperty("exercise", out _)); // not sent, so not shown
    }

    [Fact]
    public async Task Home_contact_point_reads_the_report()
    {
        var id = await FileAsync();
        var response = await factory.UsContactPointClient().GetAsync($"/api/v1/reports/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Counterpart_contact_point_cannot_read_an_unreleased_report()
    {
        var id = await FileAsync();
        var response = await factory.CnContactPointClient().GetAsync($"/api/v1/reports/{id}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Visible to whom?", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_lab_of_the_same_party_cannot_read_the_report()
    {
        var id = await FileAsync();
        var response = await factory.UsOtherLabClient().GetAsync($"/api/v1/reports/{id}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_report_is_404_problem()
    {
        var response = await factory.UsContactPointClient().GetAsync($"/api/v1/reports/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
