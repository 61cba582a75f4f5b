using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Reports.Tests;

public class ReportsFactory : ServiceFactory<Program>
{
    public static readonly Guid UsLab = Guid.Parse("10000000-0000-4000-8000-000000000001");
    public static readonly Guid UsOtherLab = Guid.Parse("10000000-0000-4000-8000-000000000002");
    public static readonly Guid UsContactPoint = Guid.Parse("10000000-0000-4000-8000-000000000003");
    public static readonly Guid CnContactPoint = Guid.Parse("10000000-0000-4000-8000-000000000004");

    public HttpClient UsLabClient() => ClientWithToken(TestTokens.Issue("US", UsLab, "reporter"));
    public HttpClient UsOtherLabClient() => ClientWithToken(TestTokens.Issue("US", UsOtherLab, "reporter"));
    public HttpClient UsContactPointClient() => ClientWithToken(TestTokens.Issue("US", UsContactPoint, "ncp-officer", "ncp-duty"));
    public HttpClient CnContactPointClient() => ClientWithToken(TestTokens.Issue("CN", CnContactPoint, "ncp-officer", "ncp-duty"));

    public HttpClient UsOfficerClient() => UsContactPointClient();
    public HttpClient CnDutyOnlyClient() => ClientWithToken(TestTokens.Issue("CN", CnContactPoint, "ncp-duty"));

    /// <summary>Files a valid report as the US lab and returns its id.</summary>
    public async Task<Guid> FileAsync(object? report = null)
    {
        var response = await UsLabClient().PostAsJsonAsync("/api/v1/reports", report ?? ValidReport());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Delivers the Severity service's assessment of the report's version and waits until the report holds it.</summary>
    public async Task AssessAsync(Guid id, int version = 1, int level = 4)
    {
        var harness = Services.GetRequiredService<ITestHarness>();
        await harness.Bus.Publish(new SeverityAssessed(id, version, "US", level, "High", "高", "1", "jailbreak-spread", "t", false, DateTimeOffset.UtcNow));
        await Eventually.WaitUntilAsync(
            async () => await Database.ScalarAsync<long>($"SELECT count(*) FROM reports WHERE id = '{id}' AND severity = {level} AND version = {version}") == 1,
            "the report holds its assessment");
    }

    public static object ValidReport(string title = "Jailbreak spreading to other chat platforms") => new
    {
        title,
        summary = "A role-play jailbreak against Frontier-1 is being traded on forums and works on two other platforms.",
        language = "en",
        kind = "hazard",
        category = "jailbreak-spread",
        timeline = new { occurredAt = "2026-11-20T08:30:00Z" },
        model = new { name = "Frontier-1", developer = "Example US Frontier Lab" },
        tlp = "AMBER",
    };
}
