using IncidentExchange.Contracts.Reports;
using IncidentExchange.Testing;
using IncidentExchange.Triage.Data;
using IncidentExchange.Triage.Grouping;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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
    public async Task Reports_that_wait_for_their_party_together_are_decided_in_one_transaction_as_if_one_after_another()
    {
        var party = $"T{Guid.NewGuid():N}"[..8];
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ofOneEvent = Enumerable.Range(0, 5).Select(i => TriageFactory.Report($"Leak of Sigma{tag} weights, report {i}",
            $"The Sigma{tag} checkpoint was exfiltrated and posted publicly.", party: party, model: $"Sigma{tag}")).ToList();
        var unrelated = TriageFactory.Report("Agent deleted a customer's production database",
            "An autonomous coding agent ran destructive commands during a code freeze.", party: party, model: "Other-2");

        // The party's lock held elsewhere: the unrelated report waits for it, and the five gather behind that one. They
        // are not grouped yet when they are read: only their comparison with each other can join them.
        var (release, first, rest) = await WhileLockedAsync(party, unrelated, ofOneEvent);
        await release();
        var incidents = await Task.WhenAll(rest);

        Assert.Single(incidents.Distinct());
        Assert.NotEqual(await first, incidents[0]);
        Assert.Equal(2L, await factory.Database.ScalarAsync<long>($"""
            SELECT count(*) FROM incident_links l JOIN report_features f USING (report_id) WHERE f.party = '{party}' AND l.state = 'opened'
            """));
        // Decided together: the five share the moment they were linked.
        Assert.True(await factory.Database.ScalarAsync<long>($"""
            SELECT max(n) FROM (SELECT count(*) AS n FROM incident_links l JOIN report_features f USING (report_id)
                                WHERE f.party = '{party}' GROUP BY l.linked_at) t
            """) >= 5);
    }

    [Fact]
    public async Task A_failed_batch_is_committed_one_report_at_a_time_and_only_the_failing_report_fails()
    {
        var party = $"T{Guid.NewGuid():N}"[..8];
        var tag = Guid.NewGuid().ToString("N")[..8];
        var a = TriageFactory.Report($"Leak of Tau{tag} weights", $"The Tau{tag} checkpoint was posted publicly.", party: party, model: $"Tau{tag}");
        var b = a with { ReportId = Guid.NewGuid(), Title = $"Tau{tag} weights leaked" };
        var blocker = TriageFactory.Report("Agent deleted a customer's production database", "Destructive commands.", party: party, model: "Other-2");

        // A duplicate of a in the batch fails the batch's save on its key.
        var (release, first, rest) = await WhileLockedAsync(party, blocker, [a, b, a]);
        await release();
        await first;
        var outcomes = await Task.WhenAll(rest.Select(async g => { try { return (Guid?)await g; } catch (Exception) { return null; } }));

        Assert.Equal(1, outcomes.Count(o => o is null));
        Assert.Single(outcomes.Where(o => o is not null).Distinct());
        Assert.Equal(3L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM report_features WHERE party = '{party}'"));
        Assert.Equal(3L, await factory.Database.ScalarAsync<long>($"""
            SELECT count(*) FROM incident_links l JOIN report_features f USING (report_id) WHERE f.party = '{party}'
            """));
    }

    /// <summary>
    /// Holds the party's grouping lock, groups <paramref name="first"/> and waits until it waits for the lock, then groups
    /// <paramref name="rest"/> and gives them time to gather behind it. Returns what releases the lock.
    /// </summary>
    private async Task<(Func<Task> Release, Task<Guid> First, Task<Guid>[] Others)> WhileLockedAsync(string party, ReportSubmitted first, IEnumerable<ReportSubmitted> rest)
    {
        var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TriageDb>();
        var transaction = await db.Database.BeginTransactionAsync();
        await Grouper.LockPartyAsync(db, party, CancellationToken.None);
        var grouped = factory.GroupAsync(first);
        await Eventually.WaitUntilAsync(async () => await factory.Database.ScalarAsync<long>("""
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """) > 0, "the first grouping waits for the lock");
        var others = rest.Select(factory.GroupAsync).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(2)); // they read their candidates and queue behind it
        return (async () =>
        {
            await transaction.RollbackAsync();
            await scope.DisposeAsync();
        }, grouped, others);
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
