using System.Security.Claims;
using IncidentExchange.Alerts.Data;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Alerts.Listing;

/// <summary>
/// <c>GET /api/v1/alerts/statistics?from=&amp;to=</c>: how the caller's party answered its real alerts in a period —
/// counts by kind and level, how many were acknowledged within their limit, and the median time to acknowledge.
/// Exercise traffic is never counted here; drills have their own measures. Communication checks are exercise.
/// </summary>
public static class AlertStatistics
{
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366);

    public sealed record LevelCount(int Level, int Alerts);

    public sealed record Statistics(
        string Party, DateTimeOffset From, DateTimeOffset To, int Alerts, IReadOnlyDictionary<string, int> ByKind, IReadOnlyList<LevelCount> ByLevel,
        int Acknowledged, int AcknowledgedWithinLimit, double? MedianSecondsToAcknowledge, int ExerciseAlertsLeftOut);

    public static RouteGroupBuilder MapAlertStatistics(this RouteGroupBuilder group)
    {
        group.MapGet("/statistics", Handle).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer, Roles.Auditor));
        return group;
    }

    public static async Task<IResult> Handle(DateTimeOffset? from, DateTimeOffset? to, ClaimsPrincipal user, AlertsDb db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var end = to ?? clock.GetUtcNow();
        var start = from ?? end.AddDays(-30);
        if (start >= end || end - start > MaxPeriod)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["from must be before to, at most 366 days apart."] });
        var party = user.PartyOf();
        var inPeriod = db.Alerts.AsNoTracking().Where(a => a.Party == party && a.RaisedAt >= start && a.RaisedAt < end);
        var exercise = await inPeriod.CountAsync(a => a.Exercise, cancellationToken);
        var real = await inPeriod.Where(a => !a.Exercise)
            .Select(a => new { a.Kind, a.Severity, a.RaisedAt, a.AcknowledgedAt, a.AcknowledgeDueAt })
            .ToListAsync(cancellationToken);
        var seconds = real.Where(a => a.AcknowledgedAt is not null).Select(a => (a.AcknowledgedAt!.Value - a.RaisedAt).TotalSeconds).Order().ToList();
        return TypedResults.Ok(new Statistics(party, start, end, real.Count,
            real.GroupBy(a => a.Kind).ToDictionary(g => g.Key, g => g.Count()),
            real.GroupBy(a => a.Severity).OrderBy(g => g.Key).Select(g => new LevelCount(g.Key, g.Count())).ToList(),
            seconds.Count,
            real.Count(a => a.AcknowledgedAt is { } at && (a.AcknowledgeDueAt is null || at <= a.AcknowledgeDueAt)),
            seconds.Count == 0 ? null : seconds.Count % 2 == 1 ? seconds[seconds.Count / 2] : (seconds[seconds.Count / 2 - 1] + seconds[seconds.Count / 2]) / 2,
            exercise));
    }
}
