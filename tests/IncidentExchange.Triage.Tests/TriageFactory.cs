using IncidentExchange.Contracts.Reports;
using IncidentExchange.Testing;
using IncidentExchange.Triage.Data;
using IncidentExchange.Triage.Grouping;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Triage.Tests;

public class TriageFactory : ServiceFactory<Program>
{
    public static readonly Guid UsContactPoint = Guid.Parse("10000000-0000-4000-8000-000000000003");
    public static readonly Guid UsLab = Guid.Parse("10000000-0000-4000-8000-000000000001");
    public static readonly Guid CnContactPoint = Guid.Parse("10000000-0000-4000-8000-000000000004");

    private static int _events;

    public HttpClient UsOfficer() => ClientWithToken(TestTokens.Issue("US", UsContactPoint, "ncp-officer", "ncp-duty"));
    public HttpClient UsDutyOnly() => ClientWithToken(TestTokens.Issue("US", UsContactPoint, "ncp-duty"));
    public HttpClient UsLabClient() => ClientWithToken(TestTokens.Issue("US", UsLab, "reporter"));
    public HttpClient CnOfficer() => ClientWithToken(TestTokens.Issue("CN", CnContactPoint, "ncp-officer", "ncp-duty"));

    public static ReportSubmitted Report(string title, string summary, string party = "US", string model = "Frontier-1",
        DateTimeOffset? occurredAt = null, bool exercise = false, IReadOnlyList<string>? indicators = null) =>
        new(Guid.NewGuid(), 1, party, UsLab, "jailbreak-spread", "hazard", "en", title, summary, "AMBER", exercise,
            DateTimeOffset.UtcNow, model, "Example Lab", occurredAt ?? DateTimeOffset.Parse("2026-11-20T08:00:00Z"), indicators ?? []);

    /// <summary>Groups a report as the consumer does (with any others that wait for its party) and returns the incident it was linked to.</summary>
    public async Task<Guid> GroupAsync(ReportSubmitted report)
    {
        await using var scope = Services.CreateAsyncScope();
        var grouper = scope.ServiceProvider.GetRequiredService<Grouper>();
        return (await grouper.GroupAsync(report, (_, _) => { }, CancellationToken.None)).IncidentId;
    }

    /// <summary>Two reports of one jailbreak event and one of another, all of the US; returns their ids and incidents.</summary>
    public async Task<(ReportSubmitted A, ReportSubmitted B, Guid Incident)> TwoOfOneEventAsync()
    {
        // Each pair months from any other, so that pairs made for different tests are different events.
        var when = DateTimeOffset.Parse("2020-01-01T00:00:00Z").AddDays(90 * Interlocked.Increment(ref _events));
        var tag = Guid.NewGuid().ToString("N")[..8];
        var a = Report($"Role-play jailbreak Zeta{tag} spreading across chat platforms",
            $"The Zeta{tag} role-play prompt bypasses refusals on Frontier-1 and is being reposted on forums.", occurredAt: when);
        var b = Report($"Zeta{tag} jailbreak prompt reposted on forums, bypasses refusals",
            $"Forum users share the Zeta{tag} role-play jailbreak; it bypasses Frontier-1 refusals.", occurredAt: when.AddHours(5));
        var incident = await GroupAsync(a);
        Assert.Equal(incident, await GroupAsync(b));
        return (a, b, incident);
    }
}
