using System.Security.Claims;
using IncidentExchange.Alerts.Data;
using IncidentExchange.Alerts.Hub;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Alerts.Stamps;

/// <summary>
/// <c>GET /api/v1/alerts/{id}</c> (an alert of the caller's party, with its stamps), <c>POST …/{id}/ack</c>,
/// <c>POST …/{id}/respond</c> (a written response), and <c>GET /api/v1/alerts/sent?reportId=</c>: the stamps of the
/// alerts the other party received about the caller's party's releases of a report.
/// </summary>
public static class StampEndpoints
{
    public sealed record RespondRequest(string? Text);

    public sealed record SentAlert(Guid AlertId, string Party, string Kind, Guid ReportId, int ReportVersion, bool Exercise, Stamping.StampsView Stamps);

    public sealed record SentPage(IReadOnlyList<SentAlert> Alerts);

    public static RouteGroupBuilder MapStampEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/sent", Sent).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer, Roles.NcpDuty));
        group.MapGet("/{id:guid}", Get).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer, Roles.NcpDuty));
        group.MapPost("/{id:guid}/ack", Acknowledge).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer, Roles.NcpDuty));
        group.MapPost("/{id:guid}/respond", Respond).RequireAuthorization(policy => policy.RequireRole(Roles.NcpOfficer, Roles.NcpDuty));
        return group;
    }

    private static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Alert not found");

    public static async Task<IResult> Get(Guid id, ClaimsPrincipal user, AlertsDb db, CancellationToken cancellationToken)
    {
        var party = user.PartyOf();
        var alert = await db.Alerts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.Party == party, cancellationToken);
        return alert is null ? NotFound() : TypedResults.Ok(AlertMessage.From(alert));
    }

    public static async Task<IResult> Acknowledge(Guid id, ClaimsPrincipal user, AlertStamps stamps, CancellationToken cancellationToken) =>
        await stamps.AcknowledgeAsync(user, id, cancellationToken) is { } view ? TypedResults.Ok(view) : NotFound();

    public static async Task<IResult> Respond(Guid id, RespondRequest request, ClaimsPrincipal user, AlertStamps stamps, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > AlertStamps.MaxResponseLength)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["text"] = [$"text is required, at most {AlertStamps.MaxResponseLength} characters."],
            }, title: "The response is not valid");
        return await stamps.RespondAsync(user, id, request.Text, cancellationToken) is { } view ? TypedResults.Ok(view) : NotFound();
    }

    public static async Task<IResult> Sent(Guid? reportId, ClaimsPrincipal user, AlertsDb db, CancellationToken cancellationToken)
    {
        if (reportId is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reportId"] = ["reportId is required."] });
        var party = user.PartyOf();
        var alerts = await db.Alerts.AsNoTracking()
            .Where(a => a.ReportId == reportId && a.FromParty == party && a.Party != party)
            .OrderBy(a => a.RaisedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(new SentPage(alerts.Select(a => new SentAlert(a.Id, a.Party, a.Kind, a.ReportId, a.ReportVersion, a.Exercise, Stamping.Of(a))).ToList()));
    }
}
