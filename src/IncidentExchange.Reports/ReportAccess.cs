using System.Security.Claims;
using IncidentExchange.Reports.Data;
using IncidentExchange.ServiceDefaults.Authentication;

namespace IncidentExchange.Reports;

/// <summary>
/// Who may see and do what with a report (DESIGN.md §4). Its home side — the filing organisation and its party's
/// contact point — sees everything; the counterpart sees only what was released to it, and only its contact point.
/// </summary>
public static class ReportAccess
{
    /// <summary>The parties of the exchange.</summary>
    public static readonly IReadOnlySet<string> Parties = new HashSet<string> { "US", "CN" };

    /// <summary>
    /// The filing organisation's reporters and the home party's contact point (its officers and duty officers). Other
    /// roles — auditors, admins, coordinators — see no report by belonging to one of those organisations.
    /// </summary>
    public static bool IsHome(ClaimsPrincipal user, Report report) =>
        (user.FindFirstValue(PlatformClaims.Organisation) == report.OrganisationId.ToString() && user.IsInRole(Roles.Reporter)) ||
        (user.FindFirstValue(PlatformClaims.Party) == report.Party && user.IsContactPoint());

    /// <summary>Amend or nullify: the filing organisation, or its party's contact-point officers.</summary>
    public static bool CanChange(ClaimsPrincipal user, Report report) =>
        (user.FindFirstValue(PlatformClaims.Organisation) == report.OrganisationId.ToString() && user.IsInRole(Roles.Reporter)) ||
        IsHomeOfficer(user, report);

    /// <summary>Release to the counterpart, close: the home party's contact-point officers only.</summary>
    public static bool IsHomeOfficer(ClaimsPrincipal user, Report report) =>
        user.FindFirstValue(PlatformClaims.Party) == report.Party && user.IsInRole(Roles.NcpOfficer);

    /// <summary>The counterpart's contact point, to which a release of this report may be addressed.</summary>
    public static bool IsCounterpartContactPoint(ClaimsPrincipal user, Report report) =>
        user.FindFirstValue(PlatformClaims.Party) is { } party && party != report.Party && user.IsContactPoint();
}

/// <summary>Answers shared by the report endpoints.</summary>
public static class ReportProblems
{
    /// <summary>Not found and not allowed look the same, so that nobody learns which report ids exist.</summary>
    public static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Report not found");

    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: detail);

    public static IResult Final(Report report) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: $"The report is {report.Status}",
        detail: $"A {report.Status} report cannot be changed or released.");
}
