using System.Net.Http.Json;
using IncidentExchange.Testing;

namespace IncidentExchange.Reports.Tests.Authorization;

/// <summary>
/// Every report endpoint × each role of each party, on a report of the US lab: before it is released, and after it
/// was released to CN. Each cell runs on a fresh report, so that one cell's change (a close, a release) cannot decide
/// another's. Allowed is a 2xx answer; denied is 403 or 404 with nothing of the report in the answer.
/// </summary>
public sealed class AuthorizationMatrixTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private static readonly Guid CnLab = Guid.Parse("10000000-0000-4000-8000-000000000005");
    private static readonly Guid Coordination = Guid.Parse("10000000-0000-4000-8000-000000000006");

    /// <summary>Who calls: each role a party has, in the organisation it would be in.</summary>
    private static readonly Dictionary<string, Func<string>> Callers = new()
    {
        ["us-lab (filer)"] = () => TestTokens.Issue("US", ReportsFactory.UsLab, "reporter"),
        ["us-other-lab"] = () => TestTokens.Issue("US", ReportsFactory.UsOtherLab, "reporter"),
        ["us-lab-admin (filer's organisation)"] = () => TestTokens.Issue("US", ReportsFactory.UsLab, "admin"),
        ["us-officer"] = () => TestTokens.Issue("US", ReportsFactory.UsContactPoint, "ncp-officer", "ncp-duty"),
        ["us-duty"] = () => TestTokens.Issue("US", ReportsFactory.UsContactPoint, "ncp-duty"),
        ["us-auditor"] = () => TestTokens.Issue("US", ReportsFactory.UsContactPoint, "auditor"),
        ["us-admin"] = () => TestTokens.Issue("US", ReportsFactory.UsContactPoint, "admin"),
        ["us-coordinator"] = () => TestTokens.Issue("US", Coordination, "coordinator"),
        ["cn-officer"] = () => TestTokens.Issue("CN", ReportsFactory.CnContactPoint, "ncp-officer", "ncp-duty"),
        ["cn-duty"] = () => TestTokens.Issue("CN", ReportsFactory.CnContactPoint, "ncp-duty"),
        ["cn-lab"] = () => TestTokens.Issue("CN", CnLab, "reporter"),
        ["cn-auditor"] = () => TestTokens.Issue("CN", ReportsFactory.CnContactPoint, "auditor"),
    };

    private sealed record Cell(string Method, string Path, object? Body);

    /// <summary>The endpoints, with who may use them on an unreleased US report, and on one released to CN.</summary>
    private static readonly (string Name, Func<Guid, Cell> Request, string[] Unreleased, string[] Released)[] Endpoints =
    [
        ("read", id => new("GET", $"/api/v1/reports/{id}", null),
            ["us-lab (filer)", "us-officer", "us-duty"], ["us-lab (filer)", "us-officer", "us-duty", "cn-officer", "cn-duty"]),
        ("list versions", id => new("GET", $"/api/v1/reports/{id}/versions", null),
            ["us-lab (filer)", "us-officer", "us-duty"], ["us-lab (filer)", "us-officer", "us-duty"]),
        ("read a version", id => new("GET", $"/api/v1/reports/{id}/versions/1", null),
            ["us-lab (filer)", "us-officer", "us-duty"], ["us-lab (filer)", "us-officer", "us-duty"]),
        ("amend", id => new("POST", $"/api/v1/reports/{id}/versions", ReportsFactory.ValidReport("Amended")),
            ["us-lab (filer)", "us-officer"], ["us-lab (filer)", "us-officer"]),
        ("nullify", id => new("POST", $"/api/v1/reports/{id}/nullify", new { reason = "Filed in error" }),
            ["us-lab (filer)", "us-officer"], ["us-lab (filer)", "us-officer"]),
        ("close", id => new("POST", $"/api/v1/reports/{id}/close", null),
            ["us-officer"], ["us-officer"]),
        ("release", id => new("POST", $"/api/v1/reports/{id}/releases", new { toParty = "CN", tlp = "AMBER" }),
            ["us-officer"], ["us-officer"]),
        ("preview a release", id => new("POST", $"/api/v1/reports/{id}/releases/preview", new { toParty = "CN", tlp = "AMBER" }),
            ["us-officer"], ["us-officer"]),
        ("ask the lab", id => new("POST", $"/api/v1/reports/{id}/threads", new { with = "lab", body = "Which versions?", language = "en" }),
            ["us-lab (filer)", "us-officer", "us-duty"], ["us-lab (filer)", "us-officer", "us-duty"]),
        ("ask the counterpart", id => new("POST", $"/api/v1/reports/{id}/threads", new { with = "counterpart", body = "Seen it?", language = "en" }),
            [], ["us-officer", "us-duty", "cn-officer", "cn-duty"]),
        ("list threads", id => new("GET", $"/api/v1/reports/{id}/threads", null),
            ["us-lab (filer)", "us-officer", "us-duty"], ["us-lab (filer)", "us-officer", "us-duty", "cn-officer", "cn-duty"]),
    ];

    public static TheoryData<string, string, bool> Cells()
    {
        var cells = new TheoryData<string, string, bool>();
        foreach (var endpoint in Endpoints)
            foreach (var caller in Callers.Keys)
                foreach (var released in new[] { false, true })
                    cells.Add(endpoint.Name, caller, released);
        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_role_of_each_party_may_do_exactly_what_the_security_model_says(string endpointName, string caller, bool released)
    {
        var endpoint = Endpoints.Single(e => e.Name == endpointName);
        var title = $"Matrix {Guid.NewGuid():N}";
        var id = await factory.FileAsync(ReportsFactory.ValidReport(title));
        await factory.AssessAsync(id);
        if (released)
            (await factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{id}/releases", new { toParty = "CN", tlp = "AMBER" })).EnsureSuccessStatusCode();

        var cell = endpoint.Request(id);
        var request = new HttpRequestMessage(new HttpMethod(cell.Method), cell.Path) { Content = cell.Body is null ? null : JsonContent.Create(cell.Body) };
        var response = await factory.ClientWithToken(Callers[caller]()).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        var allowed = (released ? endpoint.Released : endpoint.Unreleased).Contains(caller);
        if (allowed)
            Assert.True(response.IsSuccessStatusCode, $"{caller} should {endpointName} ({(released ? "released" : "unreleased")}) but got {(int)response.StatusCode}: {body}");
        else
        {
            Assert.True((int)response.StatusCode is 403 or 404 or 409,
                $"{caller} should not {endpointName} ({(released ? "released" : "unreleased")}) but got {(int)response.StatusCode}: {body}");
            Assert.DoesNotContain(title, body);
        }
    }

    [Fact]
    public async Task The_inbox_lists_a_report_to_exactly_those_who_may_read_it()
    {
        var title = $"Inbox matrix {Guid.NewGuid():N}";
        var id = await factory.FileAsync(ReportsFactory.ValidReport(title));
        await factory.AssessAsync(id);
        foreach (var released in new[] { false, true })
        {
            if (released)
                (await factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{id}/releases", new { toParty = "CN", tlp = "AMBER" })).EnsureSuccessStatusCode();
            var readers = released ? Endpoints[0].Released : Endpoints[0].Unreleased;
            foreach (var (caller, token) in Callers)
            {
                var response = await factory.ClientWithToken(token()).GetAsync("/api/v1/reports?limit=200");
                var listed = response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains(id.ToString());
                Assert.True(readers.Contains(caller) == listed, $"{caller} {(listed ? "sees" : "does not see")} the {(released ? "released" : "unreleased")} report in the inbox");
            }
        }
    }
}
