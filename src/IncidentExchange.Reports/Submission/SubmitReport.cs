using System.Security.Claims;
using System.Text.Json;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Reports.Data;
using IncidentExchange.Reports.Protocol;
using IncidentExchange.ServiceDefaults.Authentication;
using IncidentExchange.ServiceDefaults.Messaging;

namespace IncidentExchange.Reports.Submission;

/// <summary>
/// <c>POST /api/v1/reports</c>: a lab (or its contact point) files a protocol v1 report. With an
/// <c>Idempotency-Key</c>, a retry of the same request answers the first result and never files a second report.
/// </summary>
public static class SubmitReport
{
    public sealed record Created(Guid Id, int Version);

    public static RouteGroupBuilder MapSubmitReport(this RouteGroupBuilder group)
    {
        group.MapPost("/", Handle).RequireAuthorization(policy => policy.RequireRole(Roles.Reporter, Roles.NcpOfficer));
        return group;
    }

    public static async Task<IResult> Handle(
        JsonElement body, HttpRequest http, ClaimsPrincipal user, ReportsDb db,
        TimeProvider clock, ILogger<Created> logger, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var idempotencyKey = Idempotency.KeyOf(http);
        var document = ReportSchema.Read(body, now, out var errors);
        Idempotency.Validate(idempotencyKey, errors);
        if (document is null || errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The report is not valid");

        var json = document.ToJson();
        var organisation = user.OrganisationOf();
        var request = idempotencyKey is null ? null : new Idempotency.Request(organisation, idempotencyKey, "submit", json);
        if (request is not null && await Idempotency.FindAsync(db, request, cancellationToken) is { } earlier)
            return Replay(earlier, request);

        var report = new Report
        {
            Id = Guid.CreateVersion7(now),
            Party = user.PartyOf(),
            OrganisationId = organisation,
            SubmittedBy = user.SubjectOf(),
            SubmittedAt = now,
            UpdatedAt = now,
            Exercise = document.IsExercise,
        };
        report.Describe(document);
        db.Reports.Add(report);
        db.Versions.Add(new ReportVersion { ReportId = report.Id, Number = 1, Document = json, CreatedAt = now, CreatedBy = report.SubmittedBy });
        if (request is not null)
            db.IdempotencyKeys.Add(request.Record(report.Id, 1, now));
        db.Publish(Announcement.Of(report, document));

        // The report, its first version, its key and its event commit together, or none of them does.
        if (!await Idempotency.SaveAsync(db, request, cancellationToken))
            return Replay((await Idempotency.FindAsync(db, request!, cancellationToken))!, request!);

        logger.LogInformation("Report {ReportId} submitted by {Subject} of party {Party}", report.Id, report.SubmittedBy, report.Party);
        return TypedResults.Created($"/api/v1/reports/{report.Id}", new Created(report.Id, 1));
    }

    private static IResult Replay(IdempotencyRecord earlier, Idempotency.Request request) =>
        earlier.Matches(request)
            ? TypedResults.Created($"/api/v1/reports/{earlier.ReportId}", new Created(earlier.ReportId, earlier.Version))
            : Idempotency.Conflict();
}

/// <summary>The event that sends a new report, or a new version of one, down the pipeline.</summary>
public static class Announcement
{
    public static ReportSubmitted Of(Report report, IncidentReport document) =>
        new(report.Id, report.Version, report.Party, report.OrganisationId, document.Category, document.Kind, document.Language,
            document.Title, document.Summary, document.Tlp, report.Exercise, report.UpdatedAt,
            document.Model.Name, document.Model.Developer, document.Timeline.OccurredAt,
            document.Indicators?.Select(i => i.Sha256.ToLowerInvariant()).Distinct().ToList() ?? [], document.Timeline.Mitigations,
            ImpactIndicators(document.Impact));

    /// <summary>
    /// The impact facts the severity rules read, in triage's signal vocabulary (protocols/triage/signals.json), so that
    /// a fact stated both in the text and in the impact counts once.
    /// </summary>
    public static IReadOnlyList<string> ImpactIndicators(Impact? impact) =>
        new (bool Present, string Code)[]
        {
            (impact?.Deaths > 0 || impact?.SeriousInjuries > 0, "casualties"),
            (impact?.CriticalInfrastructureAffected == true, "critical-infrastructure"),
            (impact?.NonStateActorsInvolved == true, "non-state-actor"),
            (impact?.ExploitationOngoing == true, "ongoing-exploitation"),
        }.Where(i => i.Present).Select(i => i.Code).ToList();
}
