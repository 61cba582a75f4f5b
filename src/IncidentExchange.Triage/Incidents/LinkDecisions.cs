using System.Security.Claims;
using IncidentExchange.ServiceDefaults.Authentication;
using IncidentExchange.Triage.Data;
using IncidentExchange.Triage.Grouping;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Triage.Incidents;

/// <summary>
/// A contact-point officer decides triage's links, on the officer's own party's incidents only:
/// <c>POST /{id}/reports/{reportId}/confirm</c> (the report belongs here), <c>.../reject</c> (it does not: it gets an
/// incident of its own), <c>POST /{id}/merge</c> <c>{into}</c> (two incidents are one: this one's reports move and it
/// stays on record as merged), <c>POST /{id}/split</c> <c>{reportIds}</c> (these reports are another incident).
/// Every decision is recorded with who and when; a merged incident takes no more decisions.
/// </summary>
public static class LinkDecisions
{
    public sealed record MergeRequest(Guid? Into);

    public sealed record SplitRequest(IReadOnlyList<Guid>? ReportIds);

    public const int SplitMaxReports = 500;

    public static RouteGroupBuilder MapLinkDecisions(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/reports/{reportId:guid}/confirm", Confirm).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer));
        group.MapPost("/{id:guid}/reports/{reportId:guid}/reject", Reject).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer));
        group.MapPost("/{id:guid}/merge", Merge).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer));
        group.MapPost("/{id:guid}/split", Split).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer));
        return group;
    }

    public static Task<IResult> Confirm(Guid id, Guid reportId, ClaimsPrincipal user, TriageDb db, TimeProvider clock, CancellationToken cancellationToken) =>
        DecideAsync(db, user, id, cancellationToken, async incident =>
        {
            var link = await db.Links.SingleOrDefaultAsync(l => l.ReportId == reportId && l.IncidentId == id, cancellationToken);
            if (link is null)
                return IncidentProblems.NotFound("The report is not in this incident");
            var now = clock.GetUtcNow();
            Decide(link, user, now);
            Record(db, "confirm", incident.Id, reportId, null, user, now);
            incident.UpdatedAt = now;
            return null;
        });

    public static Task<IResult> Reject(
        Guid id, Guid reportId, ClaimsPrincipal user, TriageDb db, Grouper grouper, TimeProvider clock, CancellationToken cancellationToken) =>
        DecideAsync(db, user, id, cancellationToken, async incident =>
        {
            var link = await db.Links.SingleOrDefaultAsync(l => l.ReportId == reportId && l.IncidentId == id, cancellationToken);
            if (link is null)
                return IncidentProblems.NotFound("The report is not in this incident");
            if (!await db.Links.AnyAsync(l => l.IncidentId == id && l.ReportId != reportId, cancellationToken))
                return IncidentProblems.Conflict("The report is alone in this incident", "A report cannot be rejected from an incident that holds nothing else.");

            var now = clock.GetUtcNow();
            var features = await db.Features.SingleAsync(f => f.ReportId == reportId, cancellationToken);
            var own = grouper.Open(features, now);
            link.IncidentId = own.Id;
            link.Score = null;
            link.Reason = $"rejected from incident {id}";
            Decide(link, user, now);
            Record(db, "reject", incident.Id, reportId, own.Id, user, now);
            incident.UpdatedAt = now;
            return own.Id;
        });

    public static Task<IResult> Merge(Guid id, MergeRequest request, ClaimsPrincipal user, TriageDb db, TimeProvider clock, CancellationToken cancellationToken) =>
        DecideAsync(db, user, id, cancellationToken, async incident =>
        {
            if (request.Into is not { } into)
                return IncidentProblems.Invalid("into", "into: the id of the incident to merge into is required.");
            if (into == id)
                return IncidentProblems.Invalid("into", "An incident cannot be merged into itself.");
            var target = await db.Incidents.SingleOrDefaultAsync(i => i.Id == into, cancellationToken);
            if (target is null || target.Party != incident.Party)
                return IncidentProblems.Invalid("into", "into: no incident of your party has that id.");
            if (target.MergedInto is not null)
                return IncidentProblems.Invalid("into", "into: that incident was itself merged; merge into the one it went to.");
            if (target.Exercise != incident.Exercise)
                return IncidentProblems.Invalid("into", "An exercise incident and a real one cannot be merged.");

            var now = clock.GetUtcNow();
            foreach (var link in await db.Links.Where(l => l.IncidentId == id).ToListAsync(cancellationToken))
            {
                link.IncidentId = into;
                link.Reason = IncidentLink.Bounded($"merged from incident {id}; {link.Reason}");
                Decide(link, user, now);
            }
            incident.MergedInto = into;
            incident.UpdatedAt = now;
            target.UpdatedAt = now;
            Record(db, "merge", incident.Id, null, into, user, now);
            return into;
        });

    public static Task<IResult> Split(
        Guid id, SplitRequest request, ClaimsPrincipal user, TriageDb db, Grouper grouper, TimeProvider clock, CancellationToken cancellationToken) =>
        DecideAsync(db, user, id, cancellationToken, async incident =>
        {
            var reportIds = request.ReportIds ?? [];
            if (reportIds.Count == 0 || reportIds.Count > SplitMaxReports)
                return IncidentProblems.Invalid("reportIds", $"reportIds: between 1 and {SplitMaxReports} reports of this incident.");
            if (reportIds.Distinct().Count() != reportIds.Count)
                return IncidentProblems.Invalid("reportIds", "reportIds: each report once.");
            var links = await db.Links.Where(l => l.IncidentId == id).ToListAsync(cancellationToken);
            var moving = links.Where(l => reportIds.Contains(l.ReportId)).ToList();
            if (moving.Count != reportIds.Count)
                return IncidentProblems.Invalid("reportIds", "reportIds: every report must be in this incident.");
            if (moving.Count == links.Count)
                return IncidentProblems.Invalid("reportIds", "reportIds: leave at least one report in this incident.");

            var now = clock.GetUtcNow();
            var first = moving.OrderBy(l => l.LinkedAt).ThenBy(l => l.ReportId).First();
            var split = grouper.Open(await db.Features.SingleAsync(f => f.ReportId == first.ReportId, cancellationToken), now);
            foreach (var link in moving)
            {
                link.IncidentId = split.Id;
                link.Score = null;
                link.Reason = $"split from incident {id}";
                Decide(link, user, now);
                Record(db, "split", incident.Id, link.ReportId, split.Id, user, now);
            }
            incident.UpdatedAt = now;
            return split.Id;
        });

    /// <summary>
    /// Runs a decision on one of the officer's party's incidents, in a transaction under the party's grouping lock.
    /// <paramref name="decide"/> returns a problem, or null, or the incident to show afterwards (this one when null).
    /// </summary>
    private static async Task<IResult> DecideAsync(
        TriageDb db, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken, Func<Incident, Task<object?>> decide)
    {
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await Grouper.LockPartyAsync(db, user.PartyOf(), cancellationToken);
            var incident = await db.Incidents.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
            if (incident is null || incident.Party != user.PartyOf())
                return IncidentProblems.NotFound();
            if (incident.MergedInto is { } mergedInto)
                return IncidentProblems.Conflict("The incident was merged", $"Its reports are in incident {mergedInto}; decide there.");

            var outcome = await decide(incident);
            if (outcome is IResult problem)
                return problem;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            var shown = outcome is Guid other ? await db.Incidents.SingleAsync(i => i.Id == other, cancellationToken) : incident;
            return TypedResults.Ok(await ReadIncidents.ViewOfAsync(db, shown, cancellationToken));
        });
    }

    private static void Decide(IncidentLink link, ClaimsPrincipal user, DateTimeOffset now)
    {
        link.State = LinkState.Confirmed;
        link.DecidedBy = user.SubjectOf();
        link.DecidedAt = now;
    }

    private static void Record(TriageDb db, string decision, Guid incidentId, Guid? reportId, Guid? otherIncidentId, ClaimsPrincipal user, DateTimeOffset now) =>
        db.Decisions.Add(new LinkDecision
        {
            Id = NewId.NextGuid(), IncidentId = incidentId, ReportId = reportId, Decision = decision, OtherIncidentId = otherIncidentId,
            DecidedBy = user.SubjectOf(), DecidedAt = now,
        });

}
