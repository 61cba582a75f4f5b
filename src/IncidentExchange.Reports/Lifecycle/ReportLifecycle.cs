using System.Security.Claims;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Reports.Data;
using IncidentExchange.ServiceDefaults.Authentication;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Lifecycle;

/// <summary>
/// The ends of a report's life. <c>POST /{id}/nullify</c> withdraws it with a reason (filing organisation or home
/// officer): it stays on record, marked nullified, and every party it was released to is told. <c>POST /{id}/close</c>
/// (home officer) ends work on it. Neither can be undone.
/// </summary>
public static class ReportLifecycle
{
    public sealed record NullifyRequest(string? Reason);

    public sealed record StatusView(Guid Id, string Status, DateTimeOffset UpdatedAt);

    public static RouteGroupBuilder MapReportLifecycle(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/nullify", Nullify).RequireAuthorization(policy => policy.RequireRole(Roles.Reporter, Roles.NcpOfficer));
        group.MapPost("/{id:guid}/close", Close).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer));
        return group;
    }

    public static async Task<IResult> Nullify(
        Guid id, NullifyRequest request, ClaimsPrincipal user, ReportsDb db, TimeProvider clock, ILogger<NullifyRequest> logger,
        CancellationToken cancellationToken)
    {
        var report = await db.Reports.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is null || !ReportAccess.IsHome(user, report))
            return ReportProblems.NotFound();
        if (!ReportAccess.CanChange(user, report))
            return ReportProblems.Forbidden("Only the filing organisation and its contact-point officers nullify a report.");
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > Report.ReasonMaxLength)
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["reason"] = [$"reason is required, at most {Report.ReasonMaxLength} characters."] },
                title: "The nullification is not valid");
        if (report.Status == ReportStatus.Nullified)
            return ReportProblems.Final(report);

        var now = clock.GetUtcNow();
        report.Status = ReportStatus.Nullified;
        report.NullifiedAt = now;
        report.NullifiedBy = user.SubjectOf();
        report.NullifyReason = request.Reason.Trim();
        report.UpdatedAt = now;
        var releasedTo = await db.Releases.Where(r => r.ReportId == id).Select(r => r.ToParty).Distinct().ToListAsync(cancellationToken);
        db.Publish(new ReportNullified(id, report.Party, releasedTo, report.Exercise, now));
        await db.SaveChangesAsync(cancellationToken);

        logger.LogInformation("Report {ReportId} nullified by {Subject}; released to {ReleasedTo}", id, report.NullifiedBy, releasedTo);
        return TypedResults.Ok(new StatusView(id, report.Status, now));
    }

    public static async Task<IResult> Close(Guid id, ClaimsPrincipal user, ReportsDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var report = await db.Reports.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is null || !ReportAccess.IsHome(user, report))
            return ReportProblems.NotFound();
        if (!ReportAccess.IsHomeOfficer(user, report))
            return ReportProblems.Forbidden("Only the home party's contact-point officers close a report.");
        if (ReportStatus.IsFinal(report.Status))
            return ReportProblems.Final(report);

        report.Status = ReportStatus.Closed;
        report.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new StatusView(id, report.Status, report.UpdatedAt));
    }
}
