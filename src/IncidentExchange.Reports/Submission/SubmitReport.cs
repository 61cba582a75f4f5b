using System.Security.Claims;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Reports.Data;
using IncidentExchange.ServiceDefaults.Authentication;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IncidentExchange.Reports.Submission;

/// <summary><c>POST /api/v1/reports</c>: a lab (or its contact point) files a report.</summary>
public static class SubmitReport
{
    public sealed record Request(
        string? Title,
        string? Summary,
        string? Language,
        DateTimeOffset? OccurredAt,
        string? Category,
        ModelRequest? Model,
        string? Tlp,
        bool? Exercise);

    public sealed record ModelRequest(string? Name, string? Developer);

    public sealed record Created(Guid Id, int Version);

    public static RouteGroupBuilder MapSubmitReport(this RouteGroupBuilder group)
    {
        group.MapPost("/", Handle).RequireAuthorization(policy => policy.RequireRole(Roles.Reporter, Roles.NcpOfficer));
        return group;
    }

    public static async Task<Results<Created<Created>, ValidationProblem>> Handle(
        Request request, ClaimsPrincipal user, ReportsDb db, TimeProvider clock, ILogger<Request> logger, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = Validate(request, now);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The report is not valid");

        var report = new Report
        {
            Id = Guid.CreateVersion7(now),
            Party = user.PartyOf(),
            OrganisationId = user.OrganisationOf(),
            SubmittedBy = user.SubjectOf(),
            Title = request.Title!.Trim(),
            Summary = request.Summary!.Trim(),
            Language = request.Language!,
            OccurredAt = request.OccurredAt!.Value.ToUniversalTime(),
            Category = request.Category!,
            ModelName = request.Model!.Name!.Trim(),
            ModelDeveloper = request.Model.Developer!.Trim(),
            Tlp = request.Tlp!,
            Exercise = request.Exercise ?? false,
            SubmittedAt = now,
        };
        db.Reports.Add(report);
        db.Publish(new ReportSubmitted(report.Id, report.Version, report.Party, report.OrganisationId, report.Category,
            report.Language, report.Title, report.Summary, report.Tlp, report.Exercise, report.SubmittedAt));
        await db.SaveChangesAsync(cancellationToken); // the report and its event commit together, or neither does

        logger.LogInformation("Report {ReportId} submitted by {Subject} of party {Party}", report.Id, report.SubmittedBy, report.Party);
        return TypedResults.Created($"/api/v1/reports/{report.Id}", new Created(report.Id, report.Version));
    }

    public static Dictionary<string, string[]> Validate(Request request, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        void Text(string field, string? value, int max)
        {
            if (string.IsNullOrWhiteSpace(value))
                errors[field] = [$"{field} is required."];
            else if (value.Length > max)
                errors[field] = [$"{field} must be at most {max} characters."];
        }
        void OneOf(string field, string? value, IReadOnlySet<string> allowed)
        {
            if (string.IsNullOrEmpty(value))
                errors[field] = [$"{field} is required."];
            else if (!allowed.Contains(value))
                errors[field] = [$"{field} must be one of: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}."];
        }

        Text("title", request.Title, Report.TitleMaxLength);
        Text("summary", request.Summary, Report.SummaryMaxLength);
        OneOf("language", request.Language, Vocabulary.Languages);
        OneOf("category", request.Category, Vocabulary.Categories);
        OneOf("tlp", request.Tlp, Vocabulary.Tlp);
        if (request.OccurredAt is not { } occurredAt)
            errors["occurredAt"] = ["occurredAt is required (RFC 3339 date-time)."];
        else if (occurredAt > now.AddMinutes(5))
            errors["occurredAt"] = ["occurredAt cannot be in the future."];
        if (request.Model is null)
            errors["model"] = ["model is required."];
        else
        {
            Text("model.name", request.Model.Name, Report.NameMaxLength);
            Text("model.developer", request.Model.Developer, Report.NameMaxLength);
        }
        return errors;
    }
}
