using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentExchange.Reports.Tests.Reading;

public sealed class ListReportsTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private static async Task<JsonElement[]> ListAsync(HttpClient client, string query = "") =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/reports?limit=200{query}")).GetProperty("reports").EnumerateArray().ToArray();

    private static string[] Titles(IEnumerable<JsonElement> items, string marker) =>
        items.Select(i => i.GetProperty("title").GetString()!).Where(t => t.Contains(marker)).Order().ToArray();

    [Fact]
    public async Task Each_caller_lists_what_it_may_see_and_the_counterpart_only_what_was_released_to_it()
    {
        var marker = Guid.NewGuid().ToString("N");
        var ours = await factory.FileAsync(ReportsFactory.ValidReport($"ours {marker}"));
        var response = await factory.UsOtherLabClient().PostAsJsonAsync("/api/v1/reports", ReportsFactory.ValidReport($"other lab {marker}"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        Assert.Equal([$"ours {marker}"], Titles(await ListAsync(factory.UsLabClient()), marker));
        Assert.Equal([$"other lab {marker}", $"ours {marker}"], Titles(await ListAsync(factory.UsOfficerClient()), marker));
        Assert.Empty(Titles(await ListAsync(factory.CnContactPointClient()), marker));

        await factory.AssessAsync(ours);
        Assert.Equal(HttpStatusCode.Created, (await factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{ours}/releases", new { toParty = "CN", tlp = "AMBER+STRICT" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{ours}/versions", ReportsFactory.ValidReport($"amended, unreleased {marker}"))).StatusCode);

        var cn = (await ListAsync(factory.CnContactPointClient())).Where(i => i.GetProperty("id").GetGuid() == ours).ToArray();
        var item = Assert.Single(cn);
        Assert.Equal("counterpart", item.GetProperty("source").GetString());
        Assert.Equal($"ours {marker}", item.GetProperty("title").GetString()); // the released title, not the new one
        Assert.Equal("AMBER+STRICT", item.GetProperty("tlp").GetString());
        Assert.Equal("released", item.GetProperty("status").GetString());
        Assert.Empty(Titles(await ListAsync(factory.CnContactPointClient(), "&tlp=AMBER"), marker));
    }

    [Fact]
    public async Task Min_severity_keeps_own_reports_assessed_at_that_level_or_above()
    {
        var marker = Guid.NewGuid().ToString("N");
        var high = await factory.FileAsync(ReportsFactory.ValidReport($"level 4 {marker}"));
        var low = await factory.FileAsync(ReportsFactory.ValidReport($"level 2 {marker}"));
        await factory.FileAsync(ReportsFactory.ValidReport($"not yet assessed {marker}"));
        await factory.AssessAsync(high, level: 4);
        await factory.AssessAsync(low, level: 2);

        Assert.Equal([$"level 4 {marker}"], Titles(await ListAsync(factory.UsOfficerClient(), "&minSeverity=4"), marker));
        Assert.Equal([$"level 2 {marker}", $"level 4 {marker}"], Titles(await ListAsync(factory.UsOfficerClient(), "&minSeverity=2"), marker));
        Assert.Equal(3, Titles(await ListAsync(factory.UsOfficerClient()), marker).Length);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=201")]
    [InlineData("?status=lost")]
    [InlineData("?minSeverity=0")]
    [InlineData("?minSeverity=6")]
    public async Task Bad_query_is_a_validation_problem(string query)
    {
        var response = await factory.UsOfficerClient().GetAsync($"/api/v1/reports{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Other_roles_cannot_list()
    {
        var auditor = factory.ClientWithToken(IncidentExchange.Testing.TestTokens.Issue("US", ReportsFactory.UsContactPoint, "auditor"));
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.GetAsync("/api/v1/reports")).StatusCode);
    }
}
