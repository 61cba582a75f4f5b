using System.Security.Claims;
using System.Text.Json.Nodes;
using IncidentExchange.Reports.Data;
using IncidentExchange.Reports.Protocol;
using IncidentExchange.Reports.Regimes;
using IncidentExchange.Reports.Translations;
using static IncidentExchange.Reports.Translations.TranslationViews;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Reading;

/// <summary>
/// <c>GET /api/v1/reports/{id}</c>. The home side gets the current version in full, its status, translations (TranslationViews), the legal regimes that apply (LegalRegimes) and
/// releases. The counterpart's contact point gets the latest release made to it — exactly the fields released, under
/// the release's TLP — and whether the source has changed since; before any release, the report does not exist for it.
/// </summary>
public static class GetReport
{
    public sealed record HomeView(
        Guid Id,
        string Party,
        Guid OrganisationId,
        string Status,
        int Version,
        bool Exercise,
        DateTimeOffset SubmittedAt,
        DateTimeOffset UpdatedAt,
        SeverityView? Severity,
        NullifiedView? Nullified,
        JsonNode Document,
        IReadOnlyList<TranslationView> Translations,
        IReadOnlyList<ReleaseSummary> Releases,
        IReadOnlyList<LegalRegimes.Clock> Regimes);

    public sealed record ReleasedView(
        Guid Id,
        string Party,
        string Status,
        bool Exercise,
        ReleaseSummary Release,
        bool UpdatedAtSource,
        NullifiedView? Nullified,
        JsonNode Document,
        IReadOnlyList<TranslationView> Translations);

    public sealed record SeverityView(int Level, string LabelEn, string LabelZh);

    public sealed record NullifiedView(DateTimeOffset At, string Reason);

    public sealed record ReleaseSummary(Guid Id, int Version, string ToParty, string Tlp, IReadOnlyList<string> Withheld, DateTimeOffset ReleasedAt);

    public static RouteGroupBuilder MapGetReport(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", Handle).RequireAuthorization();
        return group;
    }

    public static async Task<IResult> Handle(
        Guid id, ClaimsPrincipal user, HttpContext http, ReportsDb db, LegalRegimes regimes, TimeProvider clock, CancellationToken cancellationToken)
    {
        var report = await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is null)
            return ReportProblems.NotFound();
        if (ReportAccess.IsHome(user, report))
            return TypedResults.Ok(await HomeAsync(report, db, regimes, cancellationToken));
        if (ReportAccess.IsCounterpartContactPoint(user, report))
        {
            var party = user.FindFirstValue(ServiceDefaults.Authentication.PlatformClaims.Party)!;
            var release = await db.Releases.AsNoTracking()
                .Where(r => r.ReportId == id && r.ToParty == party)
                .OrderByDescending(r => r.ReleasedAt).FirstOrDefaultAsync(cancellationToken);
            if (release is not null)
            {
                var view = await ReleasedAsync(report, release, db, cancellationToken);
                await CrossPartyReads.RecordAsync(db, http, [(report.Id, report.Party)], CrossPartyReads.Report, clock, cancellationToken);
                return TypedResults.Ok(view);
            }
        }
        return ReportProblems.NotFound();
    }

    private static async Task<HomeView> HomeAsync(Report report, ReportsDb db, LegalRegimes regimes, CancellationToken cancellationToken)
    {
        var document = await db.Versions.AsNoTracking()
            .Where(v => v.ReportId == report.Id && v.Number == report.Version)
            .Select(v => v.Document).SingleAsync(cancellationToken);
        var releases = await db.Releases.AsNoTracking()
            .Where(r => r.ReportId == report.Id).OrderBy(r => r.ReleasedAt)
            .Select(r => new ReleaseSummary(r.Id, r.Version, r.ToParty, r.Tlp, r.Withheld, r.ReleasedAt))
            .ToListAsync(cancellationToken);
        var current = JsonNode.Parse(document)!;
        return new HomeView(report.Id, report.Party, report.OrganisationId, report.Status, report.Version, report.Exercise,
            report.SubmittedAt, report.UpdatedAt,
            report.Severity is { } level ? new SeverityView(level, report.SeverityLabelEn!, report.SeverityLabelZh!) : null,
            Nullified(report), current, await TranslationViews.ForAsync(db, report.Id, current, showStale: true, cancellationToken), releases,
            regimes.Evaluate(IncidentReport.FromJson(document), report.Severity, report.SubmittedAt));
    }

    private static async Task<ReleasedView> ReleasedAsync(Report report, Release release, ReportsDb db, CancellationToken cancellationToken)
    {
        var view = JsonNode.Parse(release.View)!.AsObject();
        // Renderings of the released text only: a withheld field's, or another version's, would leak it.
        var translations = await TranslationViews.ForAsync(db, report.Id, view, showStale: false, cancellationToken);
        return new ReleasedView(report.Id, report.Party,
            report.Status == ReportStatus.Nullified ? ReportStatus.Nullified : ReportStatus.Released, report.Exercise,
            new ReleaseSummary(release.Id, release.Version, release.ToParty, release.Tlp, release.Withheld, release.ReleasedAt),
            UpdatedAtSource: report.Version > release.Version, Nullified(report), view, translations);
    }

    private static NullifiedView? Nullified(Report report) =>
        report.NullifiedAt is { } at ? new NullifiedView(at, report.NullifyReason!) : null;
}
