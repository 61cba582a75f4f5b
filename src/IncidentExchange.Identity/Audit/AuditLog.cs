using System.Security.Claims;
using IncidentExchange.Identity.Data;
using IncidentExchange.ServiceDefaults;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Identity.Audit;

/// <summary>
/// Writes the audit trail of this service. <see cref="Add"/> puts an event in the unit of work of the change it
/// records (saved with it, or not at all); <see cref="RecordAsync"/> saves one on its own, for what changes nothing
/// else here (a refused sign-in, a token issued).
/// </summary>
public sealed class AuditLog(IdentityDb db, IHttpContextAccessor http, TimeProvider clock)
{
    public void Add(string? party, string actor, string action, string? target, string outcome) =>
        db.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetUtcNow(), Party = party, Actor = Bounded(actor, 256)!, Action = action, Target = Bounded(target, 256),
            Outcome = outcome, Address = http.HttpContext.CallerAddressOf(),
        });

    public async Task RecordAsync(string? party, string actor, string action, string? target, string outcome)
    {
        Add(party, actor, action, target, outcome);
        await db.SaveChangesAsync();
    }

    private static string? Bounded(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}

/// <summary>What an auditor reads.</summary>
public static class AuditTrail
{
    public sealed record EventView(long Id, DateTimeOffset At, string Actor, string Action, string? Target, string Outcome, string? Address);

    public sealed record Page(IReadOnlyList<EventView> Events);

    /// <summary><c>GET /connect/audit?before=&amp;limit=</c>: the caller's party's events, newest first, for its <c>auditor</c>s.</summary>
    public static IEndpointRouteBuilder MapAuditTrail(this IEndpointRouteBuilder app)
    {
        app.MapGet("/connect/audit", async (ClaimsPrincipal user, IdentityDb db, CancellationToken cancellationToken, long? before = null, int limit = 100) =>
        {
            if (limit is < 1 or > 1000)
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["limit must be between 1 and 1000."] }, title: "The query is not valid");
            var party = user.PartyOf();
            var events = await db.AuditEvents.Where(e => e.Party == party && (before == null || e.Id < before))
                .OrderByDescending(e => e.Id).Take(limit)
                .Select(e => new EventView(e.Id, e.At, e.Actor, e.Action, e.Target, e.Outcome, e.Address))
                .ToListAsync(cancellationToken);
            return Results.Ok(new Page(events));
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Auditor));
        return app;
    }
}
