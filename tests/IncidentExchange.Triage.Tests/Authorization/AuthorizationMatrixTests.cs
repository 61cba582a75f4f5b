using IncidentExchange.Testing;

namespace IncidentExchange.Triage.Tests.Authorization;

/// <summary>
/// Every incident endpoint × each role of each party, on a fresh US incident of two reports per cell (so that one
/// cell's decision cannot decide another's); allowed and denied as <see cref="AuthorizationMatrix"/> judges them, the
/// incident's title being what a denied caller must never get.
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

    private static readonly string[] Readers = ["us-officer", "us-duty"], Deciders = ["us-officer"];

    private static readonly (string Name, Func<Subject, AuthorizationMatrix.Request> Request, string[] Allowed)[] Endpoints =
    [
        ("read", s => new("GET", $"/api/v1/incidents/{s.Incident}"), Readers),
        ("find by report", s => new("GET", $"/api/v1/incidents?reportId={s.Second}"), Readers),
        ("confirm a link", s => new("POST", $"/api/v1/incidents/{s.Incident}/reports/{s.Second}/confirm"), Deciders),
        ("reject a link", s => new("POST", $"/api/v1/incidents/{s.Incident}/reports/{s.Second}/reject"), Deciders),
        ("split", s => new("POST", $"/api/v1/incidents/{s.Incident}/split", new { reportIds = new[] { s.Second } }), Deciders),
        ("merge", s => new("POST", $"/api/v1/incidents/{s.Incident}/merge", new { into = s.Other }), Deciders),
    ];

    public static TheoryData<string, string> Cells() => AuthorizationMatrix.Cells(Endpoints.Select(e => e.Name), Callers.Keys);

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_role_of_each_party_may_do_exactly_what_the_security_model_says(string endpointName, string caller)
    {
        var endpoint = Endpoints.Single(e => e.Name == endpointName);
        var (a, b, incident) = await factory.TwoOfOneEventAsync();
        var other = await factory.GroupAsync(TriageFactory.Report($"Unrelated {Guid.NewGuid():N}", "Another matter.", occurredAt: DateTimeOffset.Parse("2001-01-01T00:00:00Z")));
        await AuthorizationMatrix.AssertAsync(factory.ClientWithToken(Callers[caller]()), endpoint.Request(new Subject(incident, b.ReportId, other)),
            caller, endpointName, endpoint.Allowed.Contains(caller), incident.ToString(), a.Title);
    }
}
