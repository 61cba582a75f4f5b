using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentExchange.Reports.Data;
using IncidentExchange.Reports.Protocol;
using IncidentExchange.Reports.Submission;
using IncidentExchange.ServiceDefaults.Authentication;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Versions;

/// <summary>
/// A report's versions, for its home side: <c>POST /{id}/versions</c> amends (a whole new protocol v1 document; every
/// earlier version stays as it was), <c>GET /{id}/versions</c> lists, <c>GET /{id}/versions/{n}</c> shows one, and
/// <c>GET /{id}/versions/{n}/diff</c> shows what changed from version n − 1.
/// </summary>
public static class ReportVersions
{
    public sealed record VersionSummary(int Number, DateTimeOffset CreatedAt, string CreatedBy);

    public sealed record VersionView(int Number, DateTimeOffset CreatedAt, string CreatedBy, JsonNode Document);

    public sealed record Change(string Path, JsonNode? Before, JsonNode? After);

    public sealed record Diff(int From, int To, IReadOnlyList<Change> Changes);

    public static RouteGroupBuilder MapReportVersions(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/versions", Amend).RequireAuthorization(policy => policy.RequireRole(Roles.Reporter, Roles.NcpOfficer));
        group.MapGet("/{id:guid}/versions", List).RequireAuthorization();
        group.MapGet("/{id:guid}/versions/{number:int}", Get).RequireAuthorization();
        group.MapGet("/{id:guid}/versions/{number:int}/diff", GetDiff).RequireAuthorization();
        return group;
    }

    public static async Task<IResult> Amend(
        Guid id, JsonElement body, HttpRequest http, ClaimsPrincipal user, ReportsDb db,
        TimeProvider clock, ILogger<VersionView> logger, CancellationToken cancellationToken)
    {
        var report = await db.Reports.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is null || !ReportAccess.IsHome(user, report))
            return ReportProblems.NotFound();
        if (!ReportAccess.CanChange(user, report))
            return ReportProblems.Forbidden("Only the filing organisation and its contact-point officers amend a report.");

        var now = clock.GetUtcNow();
        var idempotencyKey = Idempotency.KeyOf(http);
        var document = ReportSchema.Read(body, now, out var errors);
        Idempotency.Validate(idempotencyKey, errors);
        if (document is not null && document.IsExercise != report.Exercise)
            errors["exercise"] = [report.Exercise
                ? "This report belongs to an exercise; its versions cannot be real."
                : "A real report cannot become an exercise."];
        if (document is null || errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The new version is not valid");

        var json = document.ToJson();
        var request = idempotencyKey is null ? null : new Idempotency.Request(user.OrganisationOf(), idempotencyKey, "amend", $"{id}\n{json}");
        if (request is not null && await Idempotency.FindAsync(db, request, cancellationToken) is { } earlier)
            return Replay(earlier, request);
        if (ReportStatus.IsFinal(report.Status))
            return ReportProblems.Final(report);

        var number = report.Version + 1;
        db.Versions.Add(new ReportVersion { ReportId = id, Number = number, Document = json, CreatedAt = now, CreatedBy = user.SubjectOf() });
        report.Version = number;
        report.UpdatedAt = now;
        report.Describe(document); // the previous version's assessment goes; the pipeline assesses this one
        if (request is not null)
            db.IdempotencyKeys.Add(request.Record(id, number, now));
        db.Publish(Announcement.Of(report, document));

        try
        {
            if (!await Idempotency.SaveAsync(db, request, cancellationToken))
                return Replay((await Idempotency.FindAsync(db, request!, cancellationToken))!, request!);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { ConstraintName: "pk_report_versions" })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The report changed meanwhile",
                detail: "Another version was filed at the same moment. Read the report again and file your version on top of it.");
        }

        logger.LogInformation("Report {ReportId} amended to version {Version} by {Subject}", id, number, user.SubjectOf());
        return TypedResults.Created($"/api/v1/reports/{id}/versions/{number}", new SubmitReport.Created(id, number));
    }

    private static IResult Replay(IdempotencyRecord earlier, Idempotency.Request request) =>
        earlier.Matches(request)
            ? TypedResults.Created($"/api/v1/reports/{earlier.ReportId}/versions/{earlier.Version}", new SubmitReport.Created(earlier.ReportId, earlier.Version))
            : Idempotency.Conflict();

    public static async Task<IResult> List(Guid id, ClaimsPrincipal user, ReportsDb db, CancellationToken cancellationToken)
    {
        if (!await IsHomeAsync(id, user, db, cancellationToken))
            return ReportProblems.NotFound();
        return TypedResults.Ok(await db.Versions.AsNoTracking()
            .Where(v => v.ReportId == id).OrderBy(v => v.Number)
            .Select(v => new VersionSummary(v.Number, v.CreatedAt, v.CreatedBy))
            .ToListAsync(cancellationToken));
    }

    public static async Task<IResult> Get(Guid id, int number, ClaimsPrincipal user, ReportsDb db, CancellationToken cancellationToken)
    {
        if (!await IsHomeAsync(id, user, db, cancellationToken))
            return ReportProblems.NotFound();
        var version = await db.Versions.AsNoTracking().SingleOrDefaultAsync(v => v.ReportId == id && v.Number == number, cancellationToken);
        return version is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Version not found")
            : TypedResults.Ok(new VersionView(version.Number, version.CreatedAt, version.CreatedBy, JsonNode.Parse(version.Document)!));
    }

    public static async Task<IResult> GetDiff(Guid id, int number, ClaimsPrincipal user, ReportsDb db, CancellationToken cancellationToken)
    {
        if (!await IsHomeAsync(id, user, db, cancellationToken))
            return ReportProblems.NotFound();
        var pair = await db.Versions.AsNoTracking()
            .Where(v => v.ReportId == id && (v.Number == number || v.Number == number - 1))
            .OrderBy(v => v.Number).Select(v => v.Document).ToListAsync(cancellationToken);
        if (pair.Count != 2)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Version not found",
                detail: "A difference needs the version and the one before it (version 2 or later).");
        return TypedResults.Ok(new Diff(number - 1, number, Compare("", JsonNode.Parse(pair[0]), JsonNode.Parse(pair[1]))));
    }

    /// <summary>Field by field through objects; an array or value that differs is one change.</summary>
    public static List<Change> Compare(string path, JsonNode? before, JsonNode? after)
    {
        if (before is JsonObject a && after is JsonObject b)
            return a.Select(p => p.Key).Union(b.Select(p => p.Key)).Order(StringComparer.Ordinal)
                .SelectMany(key => Compare(path.Length == 0 ? key : $"{path}.{key}", a[key], b[key]))
                .ToList();
        return JsonNode.DeepEquals(before, after) ? [] : [new Change(path, before?.DeepClone(), after?.DeepClone())];
    }

    private static async Task<bool> IsHomeAsync(Guid id, ClaimsPrincipal user, ReportsDb db, CancellationToken cancellationToken)
    {
        var report = await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return report is not null && ReportAccess.IsHome(user, report);
    }
}
