using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Testing;

namespace IncidentExchange.Reports.Tests.Reading;

public sealed class CrossPartyReadsTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private HttpClient Auditor(string party) =>
        factory.ClientWithToken(TestTokens.Issue(party, party == "US" ? ReportsFactory.UsContactPoint : ReportsFactory.CnContactPoint, "auditor"));

    private async Task<List<JsonElement>> ReadsOfAsync(HttpClient auditor, Guid reportId)
    {
        var page = await auditor.GetFromJsonAsync<JsonElement>("/api/v1/reports/access-log?limit=1000");
        return page.GetProperty("reads").EnumerateArray().Where(r => r.GetProperty("reportId").GetGuid() == reportId).ToList();
    }

    [Fact]
    public async Task Every_read_by_the_counterpart_is_recorded_for_both_parties_auditors_who_only_for_the_readers_own_and_home_reads_are_not()
    {
        var id = await factory.FileAsync(ReportsFactory.ValidReport($"Read across the line {Guid.NewGuid():N}"));
        await factory.AssessAsync(id);
        var cn = factory.CnContactPointClient();
        Assert.Equal(HttpStatusCode.NotFound, (await cn.GetAsync($"/api/v1/reports/{id}")).StatusCode); // refused: nothing was read
        Assert.Equal(HttpStatusCode.OK, (await factory.UsOfficerClient().GetAsync($"/api/v1/reports/{id}")).StatusCode); // home
        Assert.Empty(await ReadsOfAsync(Auditor("US"), id));

        var released = await factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{id}/releases", new { toParty = "CN", tlp = "AMBER" });
        Assert.Equal(HttpStatusCode.Created, released.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cn.GetAsync($"/api/v1/reports/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cn.GetAsync($"/api/v1/reports/{id}/threads")).StatusCode);
        var inbox = await cn.GetFromJsonAsync<JsonElement>("/api/v1/reports?limit=200");
        Assert.Contains(inbox.GetProperty("reports").EnumerateArray(), r => r.GetProperty("id").GetGuid() == id);
        await cn.GetFromJsonAsync<JsonElement>("/api/v1/reports?limit=200"); // the dashboard's next refresh: seen already
        Assert.Equal(HttpStatusCode.OK, (await factory.UsOfficerClient().GetAsync($"/api/v1/reports/{id}/threads")).StatusCode); // home again

        foreach (var party in new[] { "US", "CN" })
        {
            var reads = await ReadsOfAsync(Auditor(party), id);
            Assert.Equal(["inbox", "threads", "report"], reads.Select(r => r.GetProperty("what").GetString()));
            Assert.All(reads, r =>
            {
                Assert.Equal("CN", r.GetProperty("readerParty").GetString());
                Assert.Equal("US", r.GetProperty("reportParty").GetString());
                // Who read is CN's to know; the US auditor learns that CN's contact point read, and when.
                if (party == "CN")
                    Assert.Equal($"test-cn-{ReportsFactory.CnContactPoint:N}", r.GetProperty("reader").GetString());
                else
                    Assert.Equal(JsonValueKind.Null, r.GetProperty("reader").ValueKind);
            });
        }
    }

    [Fact]
    public async Task Only_auditors_read_the_record_and_bad_queries_are_problems()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.UsOfficerClient().GetAsync("/api/v1/reports/access-log")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.UsLabClient().GetAsync("/api/v1/reports/access-log")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/v1/reports/access-log")).StatusCode);
        var bad = await Auditor("US").GetAsync("/api/v1/reports/access-log?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
    }
}
