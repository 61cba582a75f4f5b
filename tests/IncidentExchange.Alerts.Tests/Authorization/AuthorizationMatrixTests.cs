using System.Net.Http.Json;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Alerts.Tests.Authorization;

/// <summary>
/// Every alert endpoint × each role of each party, on the two alerts of a US report released to CN: the US contact
/// point's own alert and CN's alert of the release. Each cell runs on a fresh pair, so that one cell's stamp cannot
/// decide another's; allowed and denied as <see cref="AuthorizationMatrix"/> judges them, the alert's own title being
/// what a denied caller must never get. The hub is in the end-to-end tests (the .NET SignalR client is not served
/// here): it places a connection in its own party's group only, and its Acknowledge checks the party like the REST one.
/// </summary>
public sealed class AuthorizationMatrixTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static readonly Guid UsContactPoint = Guid.NewGuid(), UsLab = Guid.NewGuid(), CnContactPoint = Guid.NewGuid(), CnLab = Guid.NewGuid();

    private static readonly Dictionary<string, Func<string>> Callers = new()
    {
        ["us-officer"] = () => TestTokens.Issue("US", UsContactPoint, "ncp-officer"),
        ["us-duty"] = () => TestTokens.Issue("US", UsContactPoint, "ncp-duty"),
        ["us-lab"] = () => TestTokens.Issue("US", UsLab, "reporter"),
        ["us-auditor"] = () => TestTokens.Issue("US", UsContactPoint, "auditor"),
        ["us-admin"] = () => TestTokens.Issue("US", UsContactPoint, "admin"),
        ["us-coordinator"] = () => TestTokens.Issue("US", UsContactPoint, "coordinator"),
        ["cn-officer"] = () => TestTokens.Issue("CN", CnContactPoint, "ncp-officer"),
        ["cn-duty"] = () => TestTokens.Issue("CN", CnContactPoint, "ncp-duty"),
        ["cn-lab"] = () => TestTokens.Issue("CN", CnLab, "reporter"),
        ["cn-auditor"] = () => TestTokens.Issue("CN", CnContactPoint, "auditor"),
        ["cn-admin"] = () => TestTokens.Issue("CN", CnContactPoint, "admin"),
    };

    private static readonly string[] UsContactPointRoles = ["us-officer", "us-duty"], CnContactPointRoles = ["cn-officer", "cn-duty"];

    private sealed record Pair(Guid ReportId, Guid Us, long UsSequence, Guid Cn, long CnSequence)
    {
        /// <summary>Each alert's own title: the US one's as assessed, CN's as released.</summary>
        public string TitleOf(Guid alert) => $"Matrix {(alert == Us ? "US" : "CN")} {ReportId:N}";
    }

    private static readonly (string Name, Func<Pair, (AuthorizationMatrix.Request Request, Guid Alert)> Cell, string[] Allowed)[] Endpoints =
    [
        ("read US alert", p => (new("GET", $"/api/v1/alerts/{p.Us}"), p.Us), UsContactPointRoles),
        ("read CN alert", p => (new("GET", $"/api/v1/alerts/{p.Cn}"), p.Cn), CnContactPointRoles),
        ("acknowledge US alert", p => (new("POST", $"/api/v1/alerts/{p.Us}/ack"), p.Us), UsContactPointRoles),
        ("acknowledge CN alert", p => (new("POST", $"/api/v1/alerts/{p.Cn}/ack"), p.Cn), CnContactPointRoles),
        ("respond to US alert", p => (new("POST", $"/api/v1/alerts/{p.Us}/respond", new { text = "Handled" }), p.Us), UsContactPointRoles),
        ("respond to CN alert", p => (new("POST", $"/api/v1/alerts/{p.Cn}/respond", new { text = "Handled" }), p.Cn), CnContactPointRoles),
        ("list and find US alert", p => (new("GET", $"/api/v1/alerts?after={p.UsSequence - 1}&limit=1"), p.Us), UsContactPointRoles),
        ("list and find CN alert", p => (new("GET", $"/api/v1/alerts?after={p.CnSequence - 1}&limit=1"), p.Cn), CnContactPointRoles),
        // The sending party sees the stamps of the alert its release raised at the counterpart; nobody else does.
        ("stamps of what was sent", p => (new("GET", $"/api/v1/alerts/sent?reportId={p.ReportId}"), p.Cn), UsContactPointRoles),
    ];

    private ITestHarness Harness => factory.Services.GetRequiredService<ITestHarness>();

    private async Task<(Guid Id, long Sequence)> AlertAsync(Guid reportId, string party)
    {
        var where = $"FROM alerts WHERE report_id = '{reportId}' AND party = '{party}'";
        await Eventually.WaitUntilAsync(async () => await factory.Database.ScalarAsync<long>($"SELECT count(*) {where}") == 1, $"the {party} alert was raised");
        return (await factory.Database.ScalarAsync<Guid>($"SELECT id {where}"), await factory.Database.ScalarAsync<long>($"SELECT sequence {where}"));
    }

    private async Task<Pair> ReleasedAsync()
    {
        var reportId = Guid.NewGuid();
        await Harness.Bus.Publish(new SeverityAssessed(reportId, 1, "US", 4, "High", "高", "1", "weights-leak", $"Matrix US {reportId:N}", false, DateTimeOffset.UtcNow));
        var us = await AlertAsync(reportId, "US");
        await Harness.Bus.Publish(new ReportReleased(Guid.NewGuid(), reportId, 1, "US", "CN", "AMBER", $"Matrix CN {reportId:N}", "weights-leak", 4, "High", "高",
            false, DateTimeOffset.UtcNow, "us-officer-1"));
        var cn = await AlertAsync(reportId, "CN");
        return new Pair(reportId, us.Id, us.Sequence, cn.Id, cn.Sequence);
    }

    public static TheoryData<string, string> Cells() => AuthorizationMatrix.Cells(Endpoints.Select(e => e.Name), Callers.Keys);

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_role_of_each_party_may_do_exactly_what_the_security_model_says(string endpointName, string caller)
    {
        var endpoint = Endpoints.Single(e => e.Name == endpointName);
        var pair = await ReleasedAsync();
        var (request, alert) = endpoint.Cell(pair);
        await AuthorizationMatrix.AssertAsync(factory.ClientWithToken(Callers[caller]()), request, caller, endpointName,
            endpoint.Allowed.Contains(caller), alert.ToString(), pair.TitleOf(alert));
    }

    [Theory]
    [InlineData("us-officer", true, true)]
    [InlineData("us-auditor", true, false)]
    [InlineData("us-duty", false, true)]
    [InlineData("us-admin", false, true)]
    [InlineData("us-lab", false, false)]
    [InlineData("us-coordinator", false, false)]
    [InlineData("cn-officer", true, true)]
    [InlineData("cn-lab", false, false)]
    public async Task Statistics_and_storm_settings_are_for_the_roles_that_need_them_and_always_of_the_callers_own_party(
        string caller, bool statistics, bool settings)
    {
        var client = factory.ClientWithToken(Callers[caller]());
        var stats = await client.GetAsync("/api/v1/alerts/statistics");
        Assert.Equal(statistics, stats.IsSuccessStatusCode);
        var read = await client.GetAsync("/api/v1/alerts/settings");
        Assert.Equal(settings, read.IsSuccessStatusCode);
        if (settings)
            Assert.Contains($"\"party\":\"{caller[..2].ToUpperInvariant()}\"", await read.Content.ReadAsStringAsync());
        if (!statistics) Assert.True((int)stats.StatusCode is 403, caller);
        if (!settings) Assert.True((int)read.StatusCode is 403, caller);
    }
}
