using System.Security.Claims;
using IncidentExchange.Reports.Data;
using IncidentExchange.ServiceDefaults.Authentication;

namespace IncidentExchange.Reports;

/// <summary>Who may see a report (DESIGN.md §4): its filing organisation, and its home party's contact point.</summary>
public static class ReportAccess
{
    public static bool CanRead(ClaimsPrincipal user, Report report) =>
        user.FindFirstValue(PlatformClaims.Organisation) == report.OrganisationId.ToString() ||
        (user.FindFirstValue(PlatformClaims.Party) == report.Party && user.IsContactPoint());
}
