using System.Net.Http.Json;
using IncidentExchange.Testing;

namespace IncidentExchange.Triage.Tests.Authorization;

/// <summary>
/// Every incident endpoint × each role of each party, on a fresh US incident of two reports per cell (so that one
/// cell's decision cannot decide another's). Allowed is a 2xx answer (a read or list holds the incident); denied is
/// 403 or 404, or a list without the incident, with nothing of it (its title) in the answer.
/// </summary>
public sealed class AuthorizationMatrixTests(TriageFactory factory) : IClassFixture<TriageFactory>
{
    private static readonly Guid CnLab = Guid.NewGuid();

    private static readonly Dictionary<string, Func<string>> Callers = new()
    {
        ["us-officer"] = () => TestTokens.Issue("US", TriageFactory.UsContactPoint, "ncp-officer"),
        ["us-duty"] = () => TestTokens.Issue("US", TriageFactory.UsContactPoint, "ncp-duty"),
        ["us-lab"] = () => TestTokens.Issue("US", TriageFactory.UsLab, "reporter"),
        ["us-auditor"] = () => TestTokens.Issue("US", TriageFactory.UsContactPoint, "auditor"),
        ["us-admin"] = () => TestTokens.Issue("US", TriageFactory.UsContactPoint, "admin"),
        ["us-coordinator"] = () => TestTokens.Issue("US", TriageFactory.UsContactPoint, "coordinator"),
        ["cn-officer"] = () => TestTokens.Issue("CN", TriageFactory.CnContactPoint, "ncp-officer"),
        ["cn-duty"] = () => TestTokens.Issue("CN", TriageFactory.CnContactPoint, "ncp-duty"),
        ["cn-lab"] = () => TestTokens.Issue("CN", CnLab, "reporter"),
        ["cn-auditor"] = () => TestTokens.Issue("CN", TriageFactory.CnContactPoint, "auditor"),
        ["cn-admin"] = () => TestTokens.Issue("CN", TriageFactory.CnContactPoint, "admin"),
    };

    private sealed record Subject(Guid Incident, Guid Second, Guid Other);

    private sealed record Cell(string Method, string Path, object? Body);

    private static readonly string[] Readers = ["us-officer", "us-duty"], Deciders = ["us-officer"];

    private static readonly (string Name, Func<Subject, Cell> Request, string[] Allowed)[] Endpoints =
    [
        ("read", s => new("GET", $"/api/v1/incidents/{s.Incident}", null), Readers),
        ("find by report", s => new("GET", $"/api/v1/incidents?reportId={s.Second}", null), Readers),
        ("confirm a link", s => new("POST", $"/api/v1/incidents/{s.Incident}/reports/{s.Second}/confirm", null), Deciders),
        ("reject a link", s => new("POST", $"/api/v1/incidents/{s.Incident}/reports/{s.Second}/reject", null), Deciders),
        ("split", s => new("POST", $"/api/v1/incidents/{s.Incident}/split", new { reportIds = new[] { s.Second } }), Deciders),
        ("merge", s => new("POST", $"/api/v1/incidents/{s.Incident}/merge", new { into = s.Other }), Deciders),
    ];

    public static TheoryData<string, string> Cells()
    {
        var cells = new TheoryData<string, string>();
        foreach (var endpoint in Endpoints)
            foreach (var caller in Callers.Keys)
                cells.Add(endpoint.Name, caller);
        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_role_of_each_party_may_do_exactly_what_the_security_model_says(string endpointName, string caller)
    {
        var endpoint = Endpoints.Single(e => e.Name == endpointName);
        var (a, b, incident) = await factory.TwoOfOneEventAsync();
        var other = await factory.GroupAsync(TriageFactory.Report($"Unrelated {Guid.NewGuid():N}", "Another matter.", occurredAt: DateTimeOffset.Parse("2001-01-01T00:00:00Z")));
        var cell = endpoint.Request(new Subject(incident, b.ReportId, other));
        var request = new HttpRequestMessage(new HttpMethod(cell.Method), cell.Path) { Content = cell.Body is null ? null : JsonContent.Create(cell.Body) };
        var response = await factory.ClientWithToken(Callers[caller]()).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        if (endpoint.Allowed.Contains(caller))
            Assert.True(response.IsSuccessStatusCode && (cell.Method == "POST" || body.Contains(incident.ToString())),
                $"{caller} should {endpointName} but got {(int)response.StatusCode}: {body}");
        else
        {
            Assert.True((int)response.StatusCode is 403 or 404 || (cell.Method == "GET" && response.IsSuccessStatusCode && cell.Path.Contains("?")),
                $"{caller} should not {endpointName} but got {(int)response.StatusCode}: {body}");
            Assert.DoesNotContain(a.Title, body);
            if (response.IsSuccessStatusCode)
                Assert.DoesNotContain(incident.ToString(), body);
        }
    }
}
