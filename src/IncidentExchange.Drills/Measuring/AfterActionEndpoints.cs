using System.Security.Claims;
using IncidentExchange.Drills.Data;
using IncidentExchange.Drills.Running;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Drills.Measuring;

/// <summary>
/// The after-action report as a file (<c>/api/v1/drills/{id}/report.json</c>, <c>.csv</c>) and a party's drills over
/// time (<c>/api/v1/drills/trend?party=</c>), with the same visibility as the drill itself.
/// </summary>
public static class AfterActionEndpoints
{
    public sealed record TrendPoint(Guid DrillId, string Name, string? Scenario, DateTimeOffset? StartedAt, string Status,
        AfterActionReport.PartyScore Score);

    public sealed record Trend(string Party, IReadOnlyList<TrendPoint> Drills);

    public static RouteGroupBuilder MapAfterActionEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/report.json", Json).RequireAuthorization(policy => policy.RequireRole(Roles.Coordinator, Roles.NcpOfficer));
        group.MapGet("/{id:guid}/report.csv", Csv).RequireAuthorization(policy => policy.RequireRole(Roles.Coordinator, Roles.NcpOfficer));
        group.MapGet("/trend", TrendOf).RequireAuthorization(policy => policy.RequireRole(Roles.Coordinator, Roles.NcpOfficer));
        return group;
    }

    public static async Task<IResult> Json(Guid id, ClaimsPrincipal user, DrillsDb db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        if (await DrillEndpoints.VisibleAsync(db, id, user, cancellationToken) is not { } drill)
            return DrillEndpoints.NotFound();
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"drill-{id}.json\"";
        return TypedResults.Ok(await AfterActionReport.BuildAsync(db, drill, clock.GetUtcNow(), DrillEndpoints.OnlyPartyOf(user), cancellationToken));
    }

    public static async Task<IResult> Csv(Guid id, ClaimsPrincipal user, DrillsDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await DrillEndpoints.VisibleAsync(db, id, user, cancellationToken) is not { } drill)
            return DrillEndpoints.NotFound();
        var report = await AfterActionReport.BuildAsync(db, drill, clock.GetUtcNow(), DrillEndpoints.OnlyPartyOf(user), cancellationToken);
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(AfterActionReport.Csv(report)), "text/csv; charset=utf-8", $"drill-{id}.csv");
    }

    /// <summary>The party's ended drills, oldest first (the latest 50): its score and median time to acknowledge in each.</summary>
    public static async Task<IResult> TrendOf(string? party, ClaimsPrincipal user, DrillsDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        party ??= user.PartyOf();
        if (!DrillEndpoints.Parties.Contains(party))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["party"] = [$"One of {string.Join(", ", DrillEndpoints.Parties)}."] });
        if (party != user.PartyOf() && !user.IsInRole(Roles.Coordinator))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Another party's results",
                detail: "A contact point sees its own party's drill results only.");
        var own = user.PartyOf();
        var drills = await db.Drills.AsNoTracking()
            .Where(d => d.Parties.Contains(party) && (d.Status == Drill.Finished || d.Status == Drill.Stopped))
            .Where(d => d.Parties.Contains(own) || d.CreatedParty == own)
            .OrderByDescending(d => d.StartedAt).Take(50).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var points = new List<TrendPoint>();
        foreach (var drill in drills.OrderBy(d => d.StartedAt))
        {
            var report = await AfterActionReport.BuildAsync(db, drill, now, party, cancellationToken);
            points.Add(new TrendPoint(drill.Id, drill.Name, drill.Scenario, drill.StartedAt, drill.Status, report.Scores[party]));
        }
        return TypedResults.Ok(new Trend(party, points));
    }
}
