using System.Security.Claims;
using IncidentExchange.Alerts.Data;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Alerts.Storm;

/// <summary>
/// <c>GET</c>/<c>PUT /api/v1/alerts/settings</c>: the caller's party's storm-control settings. Its <c>admin</c> decides
/// which low levels (up to 2) go to a digest instead of a live alert, and how often the digest is sent; contact
/// points read them. Nobody sets another party's.
/// </summary>
public static class DigestSettings
{
    public sealed record SettingsView(string Party, int DigestUpToLevel, int DigestEveryMinutes, string? UpdatedBy, DateTimeOffset? UpdatedAt);

    public sealed record Request(int? DigestUpToLevel, int? DigestEveryMinutes);

    public static RouteGroupBuilder MapDigestSettings(this RouteGroupBuilder group)
    {
        group.MapGet("/settings", Get).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer, Roles.NcpDuty, Roles.Admin));
        group.MapPut("/settings", Put).RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        return group;
    }

    private static SettingsView View(string party, PartySettings? settings) =>
        new(party, settings?.DigestUpToLevel ?? 0, settings?.DigestEveryMinutes ?? 60, settings?.UpdatedBy, settings?.UpdatedAt);

    public static async Task<IResult> Get(ClaimsPrincipal user, AlertsDb db, CancellationToken cancellationToken)
    {
        var party = user.PartyOf();
        return TypedResults.Ok(View(party, await db.PartySettings.AsNoTracking().SingleOrDefaultAsync(p => p.Party == party, cancellationToken)));
    }

    public static async Task<IResult> Put(Request request, ClaimsPrincipal user, AlertsDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.DigestUpToLevel is not (>= 0 and <= PartySettings.MaxDigestLevel))
            errors["digestUpToLevel"] = [$"digestUpToLevel must be 0 (no digest) to {PartySettings.MaxDigestLevel}: higher levels are always alerted live."];
        if (request.DigestEveryMinutes is not (>= 5 and <= 1440))
            errors["digestEveryMinutes"] = ["digestEveryMinutes must be between 5 and 1440."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The settings are not valid");

        var party = user.PartyOf();
        var settings = await db.PartySettings.SingleOrDefaultAsync(p => p.Party == party, cancellationToken);
        if (settings is null)
            db.PartySettings.Add(settings = new PartySettings { Party = party });
        settings.DigestUpToLevel = request.DigestUpToLevel!.Value;
        settings.DigestEveryMinutes = request.DigestEveryMinutes!.Value;
        settings.UpdatedBy = user.SubjectOf();
        settings.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(party, settings));
    }
}
