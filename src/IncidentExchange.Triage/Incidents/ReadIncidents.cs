using System.Security.Claims;
using IncidentExchange.ServiceDefaults.Authentication;
using IncidentExchange.Triage.Data;
using IncidentExchange.Triage.Grouping;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Triage.Incidents;

/// <summary>
/// <c>GET /api/v1/incidents</c> and <c>GET /api/v1/incidents/{id}</c>: a party's incidents, for its contact points only.
/// Another party's incident is answered 404, as one that does not exist.
/// </summary>
public static class ReadIncidents
{
    public sealed record Item(Guid Id, string Title, string Category, bool Exercise, int Reports, int Proposed, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    public sealed record Page(IReadOnlyList<Item> Incidents);

    public sealed record LinkedReport(
        Guid ReportId, string Title, string Category, string? ModelName, DateTimeOffset OccurredAt,
        string State, double? Score, string Reason, DateTimeOffset LinkedAt, string? DecidedBy, DateTimeOffset? DecidedAt);

    /// <summary>A decision made on this incident (<c>IncidentId</c> is this one) or that moved reports into it (<c>OtherIncidentId</c> is).</summary>
    public sealed record DecisionView(string Decision, Guid IncidentId, Guid? ReportId, Guid? OtherIncidentId, string DecidedBy, DateTimeOffset DecidedAt);

    /// <param name="ReportCount">How many reports the incident holds; <c>Reports</c> lists the <see cref="ReportsShown"/> most recently linked.</param>
    public sealed record View(
        Guid Id, string Party, string Title, string Category, bool Exercise, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
        Guid? MergedInto, int ReportCount, IReadOnlyList<LinkedReport> Reports, IReadOnlyList<DecisionView> Decisions);

    public const int ReportsShown = 500;
    public const int DecisionsShown = 500;

    public static RouteGroupBuilder MapReadIncidents(this RouteGroupBuilder group)
    {
        group.MapGet("/", List).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer, Roles.NcpDuty));
        group.MapGet("/{id:guid}", Get).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer, Roles.NcpDuty));
        return group;
    }

    /// <summary>The party's open (not merged) incidents, most recently changed first; <c>reportId</c> finds the one a report is in.</summary>
    public static async Task<IResult> List(
        ClaimsPrincipal user, TriageDb db, CancellationToken cancellationToken, Guid? reportId = null, bool? exercise = null, int limit = 50)
    {
        if (limit is < 1 or > 200)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["limit must be between 1 and 200."] },
                title: "The query is not valid");

        var party = user.PartyOf();
        var incidents = db.Incidents.Where(i => i.Party == party && i.MergedInto == null);
        if (reportId is { } report)
            incidents = incidents.Where(i => db.Links.Any(l => l.IncidentId == i.Id && l.ReportId == report));
        if (exercise is { } isExercise)
            incidents = incidents.Where(i => i.Exercise == isExercise);
        var items = await incidents
            .OrderByDescending(i => i.UpdatedAt).ThenBy(i => i.Id)
            .Take(limit)
            .Select(i => new Item(i.Id, i.Title, i.Category, i.Exercise,
                db.Links.Count(l => l.IncidentId == i.Id), db.Links.Count(l => l.IncidentId == i.Id && l.State == LinkState.Proposed),
                i.CreatedAt, i.UpdatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page(items));
    }

    public static async Task<IResult> Get(Guid id, ClaimsPrincipal user, TriageDb db, CancellationToken cancellationToken)
    {
        var incident = await db.Incidents.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is null || incident.Party != user.PartyOf())
            return IncidentProblems.NotFound();
        return TypedResults.Ok(await ViewOfAsync(db, incident, cancellationToken));
    }

    public static async Task<View> ViewOfAsync(TriageDb db, Incident incident, CancellationToken cancellationToken)
    {
        var reports = await (
                from l in db.Links
                join f in db.Features on l.ReportId equals f.ReportId
                where l.IncidentId == incident.Id
                orderby l.LinkedAt descending, l.ReportId descending
                select new LinkedReport(l.ReportId, f.Title, f.Category, f.ModelName, f.OccurredAt, l.State, l.Score, l.Reason, l.LinkedAt, l.DecidedBy, l.DecidedAt))
            .Take(ReportsShown)
            .ToListAsync(cancellationToken);
        reports.Reverse();
        var decisions = await db.Decisions.Where(d => d.IncidentId == incident.Id || d.OtherIncidentId == incident.Id)
            .OrderByDescending(d => d.DecidedAt).Take(DecisionsShown)
            .Select(d => new DecisionView(d.Decision, d.IncidentId, d.ReportId, d.OtherIncidentId, d.DecidedBy, d.DecidedAt))
            .ToListAsync(cancellationToken);
        decisions.Reverse();
        var count = await db.Links.CountAsync(l => l.IncidentId == incident.Id, cancellationToken);
        return new View(incident.Id, incident.Party, incident.Title, incident.Category, incident.Exercise, incident.CreatedAt, incident.UpdatedAt,
            incident.MergedInto, count, reports, decisions);
    }
}

public static class IncidentProblems
{
    /// <summary>Not found and not allowed look the same, so that nobody learns which incident ids exist.</summary>
    public static IResult NotFound(string title = "Incident not found") => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title);

    public static IResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The decision is not valid");
}
