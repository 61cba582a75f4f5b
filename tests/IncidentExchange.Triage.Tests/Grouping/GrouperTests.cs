using IncidentExchange.Testing;

namespace IncidentExchange.Triage.Tests.Grouping;

public sealed class GrouperTests(TriageFactory factory) : IClassFixture<TriageFactory>
{
    [Fact]
    public async Task Reports_of_one_event_share_an_incident_and_an_unrelated_report_opens_its_own()
    {
        var (_, b, incident) = await factory.TwoOfOneEventAsync();
        // The incident was last changed when the second report joined it, and its title and category are still the first's.
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"""
            SELECT count(*) FROM incidents i JOIN incident_links l ON l.incident_id = i.id AND l.report_id = '{b.ReportId}'
            WHERE i.updated_at = l.linked_at AND i.updated_at > i.created_at AND i.title LIKE 'Role-play jailbreak Zeta%' AND i.category = 'jailbreak-spread'
            """));
        var unrelated = await factory.GroupAsync(TriageFactory.Report("Agent deleted a customer's production database",
            "An autonomous coding agent ran destructive commands during a code freeze.", model: "Other-2", occurredAt: DateTimeOffset.Parse("2026-11-10T00:00:00Z")));
        Assert.NotEqual(incident, unrelated);
    }

    [Fact]
    public async Task A_shared_indicator_hash_links_reports_whatever_their_words()
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray()));
        var first = await factory.GroupAsync(TriageFactory.Report("Weights offered for sale", "A checkpoint is advertised on a forum.", indicators: [hash]));
        var report = TriageFactory.Report("模型权重在论坛出售", "有人在论坛出售模型文件。", model: "Other-9", indicators: [hash.ToUpperInvariant()]);
        Assert.Equal(first, await factory.GroupAsync(report));
        Assert.Equal("shares an indicator hash", await factory.Database.ScalarAsync<string>($"SELECT reason FROM incident_links WHERE report_id = '{report.ReportId}'"));
    }

    [Fact]
    public async Task Reports_are_not_grouped_across_parties_or_with_exercise_traffic()
    {
        var (a, _, incident) = await factory.TwoOfOneEventAsync();
        Assert.NotEqual(incident, await factory.GroupAsync(a with { ReportId = Guid.NewGuid(), Party = "CN" }));
        Assert.NotEqual(incident, await factory.GroupAsync(a with { ReportId = Guid.NewGuid(), Exercise = true }));
    }

    [Fact]
    public async Task Reports_of_one_event_arriving_together_open_one_incident()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var reports = Enumerable.Range(0, 8).Select(i => TriageFactory.Report($"Leak of Omega{tag} weights, report {i}",
            $"The Omega{tag} checkpoint was exfiltrated and posted publicly.", model: $"Omega{tag}")).ToList();

        var incidents = await Task.WhenAll(reports.Select(factory.GroupAsync));

        Assert.Single(incidents.Distinct());
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM incident_links WHERE incident_id = '{incidents[0]}' AND state = 'opened'"));
    }

    [Fact]
    public async Task A_new_version_refreshes_what_the_report_is_compared_by_and_keeps_its_link()
    {
        var (a, _, incident) = await factory.TwoOfOneEventAsync();
        var amended = a with { Version = 2, Title = "Amended: the jailbreak is contained", Summary = "Patched on all platforms." };

        Assert.Equal(incident, await factory.GroupAsync(amended));
        Assert.Equal("Amended: the jailbreak is contained", await factory.Database.ScalarAsync<string>($"SELECT title FROM report_features WHERE report_id = '{a.ReportId}'"));
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM incident_links WHERE report_id = '{a.ReportId}'"));
    }
}
