using System.Security.Claims;
using System.Text.Json.Nodes;
using IncidentExchange.Reports.Data;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Reading;

/// <summary>
/// <c>GET /api/v1/reports</c>: the caller's inbox, most recently changed first. A lab sees its organisation's reports;
/// a contact point sees its party's reports and, as <c>counterpart</c> items, those released to its party — under the
/// latest release's title, category and TLP, never the source's current text.
/// </summary>
public static class ListReports
{
    public sealed record Item(
        Guid Id, string Source, string Party, string Status, string Title, string Category, string Kind, string Tlp,
        bool Exercise, int? Severity, DateTimeOffset UpdatedAt);

    public sealed record Page(IReadOnlyList<Item> Reports);

    private static readonly IReadOnlySet<string> Statuses = new HashSet<string>
    {
        ReportStatus.Submitted, ReportStatus.Triaged, ReportStatus.Assessed, ReportStatus.Released, ReportStatus.Closed, ReportStatus.Nullified,
    };

    public static RouteGroupBuilder MapListReports(this RouteGroupBuilder group)
    {
        group.MapGet("/", Handle).RequireAuthorization(policy => policy.RequireRole(Roles.Reporter, Roles.NcpOfficer, Roles.NcpDuty));
        return group;
    }

    public static async Task<IResult> Handle(
        ClaimsPrincipal user, HttpContext http, ReportsDb db, TimeProvider clock, CancellationToken cancellationToken,
        string? status = null, string? category = null, string? tlp = null, bool? exercise = null, int? minSeverity = null, int limit = 50)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > 200)
            errors["limit"] = ["limit must be between 1 and 200."];
        if (minSeverity is < 1 or > 5)
            errors["minSeverity"] = ["minSeverity must be between 1 and 5."];
        if (status is not null && !Statuses.Contains(status))
            errors["status"] = [$"status must be one of: {string.Join(", ", Statuses)}."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The query is not valid");

        var party = user.PartyOf();
        var own = db.Reports.AsNoTracking();
        own = user.IsContactPoint()
            ? own.Where(r => r.Party == party)
            : own.Where(r => r.OrganisationId == user.OrganisationOf());
        if (status is not null) own = own.Where(r => r.Status == status);
        if (category is not null) own = own.Where(r => r.Category == category);
        if (tlp is not null) own = own.Where(r => r.Tlp == tlp);
        if (exercise is { } e) own = own.Where(r => r.Exercise == e);
        if (minSeverity is { } level) own = own.Where(r => r.Severity >= level);
        var items = (await own.OrderByDescending(r => r.UpdatedAt).Take(limit).ToListAsync(cancellationToken))
            .Select(r => new Item(r.Id, "own", r.Party, r.Status, r.Title, r.Category, r.Kind, r.Tlp, r.Exercise, r.Severity, r.UpdatedAt))
            .ToList();

        if (user.IsContactPoint() && minSeverity is null)
        {
            // The latest release of each report to this party, with the report's own standing.
            var released = await db.Releases.FromSql($"""
                    SELECT DISTINCT ON (report_id) * FROM releases WHERE to_party = {party} ORDER BY report_id, released_at DESC
                    """)
                .AsNoTracking()
                .Join(db.Reports, release => release.ReportId, report => report.Id, (release, report) => new { release, report })
                .OrderByDescending(x => x.release.ReleasedAt).Take(1000)
                .ToListAsync(cancellationToken);
            foreach (var (release, report) in released.Select(x => (x.release, x.report)))
            {
                var view = JsonNode.Parse(release.View)!;
                var item = new Item(report.Id, "counterpart", report.Party,
                    report.Status == ReportStatus.Nullified ? ReportStatus.Nullified : ReportStatus.Released,
                    (string)view["title"]!, (string)view["category"]!, (string)view["kind"]!, release.Tlp, report.Exercise, null,
                    report.NullifiedAt ?? release.ReleasedAt);
                if ((status is null || item.Status == status) && (category is null || item.Category == category) &&
                    (tlp is null || item.Tlp == tlp) && (exercise is null || item.Exercise == exercise))
                    items.Add(item);
            }
        }
        var page = items.OrderByDescending(i => i.UpdatedAt).Take(limit).ToList();
        var counterpart = page.Where(i => i.Source == "counterpart").Select(i => (i.Id, i.Party)).ToList();
        if (counterpart.Count > 0)
            await CrossPartyReads.RecordListedAsync(db, http, counterpart, clock, cancellationToken);
        return TypedResults.Ok(new Page(page));
    }
}
