using System.Security.Claims;
using IncidentExchange.Reports.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Reading;

/// <summary><c>GET /api/v1/reports/{id}</c>: the report with its translations, for those allowed to see it.</summary>
public static class GetReport
{
    public sealed record View(
        Guid Id,
        int Version,
        string Party,
        Guid OrganisationId,
        string Title,
        string Summary,
        string Language,
        DateTimeOffset OccurredAt,
        string Category,
        ModelView Model,
        string Tlp,
        bool Exercise,
        DateTimeOffset SubmittedAt,
        IReadOnlyList<TranslationView> Translations);

    public sealed record ModelView(string Name, string Developer);

    public sealed record TranslationView(string Field, string SourceLanguage, string TargetLanguage, string? Text, string Status, string Engine);

    public static RouteGroupBuilder MapGetReport(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", Handle).RequireAuthorization();
        return group;
    }

    public static async Task<Results<Ok<View>, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal user, ReportsDb db, CancellationToken cancellationToken)
    {
        var report = await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        // Not found and not allowed look the same, so that nobody learns which report ids exist.
        if (report is null || !ReportAccess.CanRead(user, report))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Report not found");

        var translations = await db.Translations.AsNoTracking()
            .Where(t => t.ReportId == id && t.Version == report.Version)
            .OrderBy(t => t.Field).ThenBy(t => t.TargetLanguage)
            .Select(t => new TranslationView(t.Field, t.SourceLanguage, t.TargetLanguage, t.Text, t.Status, t.Engine))
            .ToListAsync(cancellationToken);

        return TypedResults.Ok(new View(report.Id, report.Version, report.Party, report.OrganisationId, report.Title, report.Summary,
            report.Language, report.OccurredAt, report.Category, new ModelView(report.ModelName, report.ModelDeveloper), report.Tlp,
            report.Exercise, report.SubmittedAt, translations));
    }
}
