using System.Security.Claims;
using IncidentExchange.Alerts.Data;
using IncidentExchange.Alerts.Hub;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Alerts.Listing;

/// <summary>
/// <c>GET /api/v1/alerts?after={sequence}</c>: the caller's party's alerts after a sequence number, oldest first; or,
/// with <c>latest=true</c>, the newest <c>limit</c> of them (still oldest first) — where a dashboard starts, however
/// long the party's history.
/// </summary>
public static class ListAlerts
{
    public const int MaxLimit = 500;

    public sealed record Page(IReadOnlyList<AlertMessage> Alerts);

    public static RouteGroupBuilder MapListAlerts(this RouteGroupBuilder group)
    {
        group.MapGet("/", Handle).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer, Roles.NcpDuty));
        return group;
    }

    public static async Task<Results<Ok<Page>, ValidationProblem>> Handle(
        ClaimsPrincipal user, AlertsDb db, CancellationToken cancellationToken, long after = 0, int limit = 100, bool latest = false)
    {
        if (after < 0 || limit is < 1 or > MaxLimit)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [after < 0 ? "after" : "limit"] = [after < 0 ? "after must be 0 or more." : $"limit must be between 1 and {MaxLimit}."],
            });

        var party = user.PartyOf();
        var mine = db.Alerts.AsNoTracking().Where(a => a.Party == party && a.Sequence > after);
        var alerts = latest
            ? (await mine.OrderByDescending(a => a.Sequence).Take(limit).ToListAsync(cancellationToken)).OrderBy(a => a.Sequence).ToList()
            : await mine.OrderBy(a => a.Sequence).Take(limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page(alerts.Select(AlertMessage.From).ToList()));
    }
}
