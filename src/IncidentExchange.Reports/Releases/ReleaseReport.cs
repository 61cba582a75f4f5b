using System.Security.Claims;
using System.Text.Json.Nodes;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Reports.Data;
using IncidentExchange.Reports.Submission;
using IncidentExchange.ServiceDefaults.Authentication;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Releases;

/// <summary>
/// <c>POST /api/v1/reports/{id}/releases</c>: the home contact point releases the current version to the counterpart
/// under a TLP label, withholding fields it chooses. What the counterpart will see is fixed now, as the release's view.
/// </summary>
public static class ReleaseReport
{
    public sealed record Request(string? ToParty, string? Tlp, IReadOnlyList<string>? Withhold);

    public sealed record Created(Guid Id, Guid ReportId, int Version, string ToParty, string Tlp, IReadOnlyList<string> Withheld, JsonNode View);

    /// <summary>TLP 2.0 labels from least to most restricted. RED is never released: it is for named recipients only.</summary>
    public static readonly string[] TlpOrder = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];

    /// <summary>Fields a contact point may withhold. Title, summary, kind, category, model name and developer, occurredAt,
    /// language and the exercise mark always go; the reporter's contact never does.</summary>
    public static readonly string[] Withholdable =
    [
        "harms", "impact", "indicators", "model.version", "model.access", "model.deploymentContext", "model.toolAccess",
        "timeline.detectedAt", "timeline.containment", "timeline.mitigations",
    ];

    public static RouteGroupBuilder MapReleaseReport(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/releases", Handle).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer));
        group.MapPost("/{id:guid}/releases/preview", Preview).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer));
        return group;
    }

    public sealed record PreviewView(string ToParty, string Tlp, IReadOnlyList<string> Withheld, JsonNode View);

    /// <summary>
    /// What the counterpart would see if this release were made now — the same checks and the same view as the release
    /// itself, stored nowhere — so that an officer sees exactly what leaves before it leaves.
    /// </summary>
    public static async Task<IResult> Preview(Guid id, Request request, ClaimsPrincipal user, ReportsDb db, CancellationToken cancellationToken)
    {
        var report = await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is null || !ReportAccess.IsHome(user, report))
            return ReportProblems.NotFound();
        if (!ReportAccess.IsHomeOfficer(user, report))
            return ReportProblems.Forbidden("Only the home party's contact-point officers release a report.");
        var errors = Validate(request, report);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The release is not valid");
        var withheld = (request.Withhold ?? []).Distinct().Order(StringComparer.Ordinal).ToArray();
        var document = await db.Versions.Where(v => v.ReportId == id && v.Number == report.Version).Select(v => v.Document).SingleAsync(cancellationToken);
        return TypedResults.Ok(new PreviewView(request.ToParty!, request.Tlp!, withheld, View(document, request.Tlp!, withheld)));
    }

    public static async Task<IResult> Handle(
        Guid id, Request request, HttpRequest http, ClaimsPrincipal user, ReportsDb db, TimeProvider clock, ILogger<Request> logger,
        CancellationToken cancellationToken)
    {
        var report = await db.Reports.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is null || !ReportAccess.IsHome(user, report))
            return ReportProblems.NotFound();
        if (!ReportAccess.IsHomeOfficer(user, report))
            return ReportProblems.Forbidden("Only the home party's contact-point officers release a report.");

        var idempotencyKey = Idempotency.KeyOf(http);
        var errors = Validate(request, report);
        Idempotency.Validate(idempotencyKey, errors);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The release is not valid");
        var retry = idempotencyKey is null ? null : new Idempotency.Request(user.OrganisationOf(), idempotencyKey, "release",
            $"{id}\n{request.ToParty}\n{request.Tlp}\n{string.Join(",", (request.Withhold ?? []).Distinct().Order(StringComparer.Ordinal))}");
        if (retry is not null && await Idempotency.FindAsync(db, retry, cancellationToken) is { } earlier)
            return await ReplayAsync(db, earlier, retry, cancellationToken);
        if (ReportStatus.IsFinal(report.Status))
            return ReportProblems.Final(report);
        if (report.Severity is not { } severity)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not yet assessed",
                detail: "The current version has no severity assessment yet; release it once it has (usually within a second).");

        var withheld = (request.Withhold ?? []).Distinct().Order(StringComparer.Ordinal).ToArray();
        var document = await db.Versions.Where(v => v.ReportId == id && v.Number == report.Version).Select(v => v.Document).SingleAsync(cancellationToken);
        var view = View(document, request.Tlp!, withheld);
        var now = clock.GetUtcNow();
        var release = new Release
        {
            Id = Guid.CreateVersion7(now), ReportId = id, Version = report.Version, ToParty = request.ToParty!, Tlp = request.Tlp!,
            Withheld = withheld, View = view.ToJsonString(), ReleasedBy = user.SubjectOf(), ReleasedAt = now,
        };
        db.Releases.Add(release);
        if (retry is not null)
            db.IdempotencyKeys.Add(retry.Record(id, release.Version, now, release.Id));
        report.Status = ReportStatus.Advance(report.Status, ReportStatus.Released);
        report.UpdatedAt = now;
        db.Publish(new ReportReleased(release.Id, id, release.Version, report.Party, release.ToParty, release.Tlp, report.Title, report.Category,
            severity, report.SeverityLabelEn!, report.SeverityLabelZh!, report.Exercise, now, release.ReleasedBy));
        if (!await Idempotency.SaveAsync(db, retry, cancellationToken))
            return await ReplayAsync(db, (await Idempotency.FindAsync(db, retry!, cancellationToken))!, retry!, cancellationToken);

        logger.LogInformation("Report {ReportId} version {Version} released to {ToParty} as TLP:{Tlp} by {Subject}",
            id, release.Version, release.ToParty, release.Tlp, release.ReleasedBy);
        return Answer(release);
    }

    private static IResult Answer(Release release) =>
        TypedResults.Created($"/api/v1/reports/{release.ReportId}/releases/{release.Id}",
            new Created(release.Id, release.ReportId, release.Version, release.ToParty, release.Tlp, release.Withheld, JsonNode.Parse(release.View)!));

    /// <summary>The release a retried request's key already made, or a refusal when the key was used for another request.</summary>
    private static async Task<IResult> ReplayAsync(ReportsDb db, IdempotencyRecord earlier, Idempotency.Request retry, CancellationToken cancellationToken) =>
        earlier.Matches(retry) && earlier.ResultId is { } releaseId
            ? Answer(await db.Releases.AsNoTracking().SingleAsync(r => r.Id == releaseId, cancellationToken))
            : Idempotency.Conflict();

    private static Dictionary<string, string[]> Validate(Request request, Report report)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.ToParty) || !ReportAccess.Parties.Contains(request.ToParty))
            errors["toParty"] = [$"toParty must be one of: {string.Join(", ", ReportAccess.Parties.Order(StringComparer.Ordinal))}."];
        else if (request.ToParty == report.Party)
            errors["toParty"] = ["A report is released to the counterpart, not to its own party."];

        var tlp = Array.IndexOf(TlpOrder, request.Tlp ?? "");
        if (tlp < 0)
            errors["tlp"] = [$"tlp must be one of: {string.Join(", ", TlpOrder[..^1])}."];
        else if (request.Tlp == "RED")
            errors["tlp"] = ["TLP:RED is for named recipients only and is never released."];
        else if (report.Tlp == "RED")
            errors["tlp"] = ["The reporter marked this report TLP:RED; it cannot be released."];
        else if (tlp < Array.IndexOf(TlpOrder, report.Tlp))
            errors["tlp"] = [$"The reporter marked this report TLP:{report.Tlp}; a release may keep or tighten that marking, not loosen it."];

        var unknown = (request.Withhold ?? []).Where(f => !Withholdable.Contains(f)).ToList();
        if (unknown.Count > 0)
            errors["withhold"] = [$"These fields cannot be withheld: {string.Join(", ", unknown)}. Withholdable: {string.Join(", ", Withholdable)}."];
        return errors;
    }

    /// <summary>The document as the counterpart sees it: withheld fields absent (not blank), the reporter's contact
    /// removed, and the release's TLP in place of the reporter's.</summary>
    public static JsonObject View(string document, string tlp, IEnumerable<string> withheld)
    {
        var view = JsonNode.Parse(document)!.AsObject();
        view.Remove("reporterContact");
        foreach (var path in withheld)
        {
            var parts = path.Split('.');
            var parent = parts.Length == 1 ? view : view[parts[0]] as JsonObject;
            parent?.Remove(parts[^1]);
        }
        view["tlp"] = tlp;
        return view;
    }
}
