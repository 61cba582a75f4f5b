using System.Security.Claims;
using IncidentExchange.Alerts.Data;
using IncidentExchange.Alerts.Hub;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Alerts.Stamps;

/// <summary>
/// Acknowledging and answering an alert, for the REST endpoints and the hub alike: only a contact point of the party
/// that received the alert, checked against the alert itself. Once stamped, both parties' dashboards are told: the
/// receiving party's, and the sending party's for an alert about its release.
/// </summary>
public sealed class AlertStamps(AlertsDb db, IHubContext<AlertsHub, IAlertsClient> hub, TimeProvider clock)
{
    public const int MaxResponseLength = 4000;

    /// <summary>The alert's stamps after the call, or null when the caller's party did not receive such an alert.</summary>
    public async Task<Stamping.StampsView?> AcknowledgeAsync(ClaimsPrincipal user, Guid alertId, CancellationToken cancellationToken)
    {
        var alert = await ReceivedAsync(user, alertId, cancellationToken);
        if (alert is null)
            return null;
        var now = clock.GetUtcNow();
        if (Stamping.Acknowledge(alert, user.SubjectOf(), now))
        {
            // Storm control: acknowledging the lead of an incident's alerts acknowledges those folded under it.
            var folded = await db.Alerts.Where(a => a.GroupedUnder == alert.Id && a.AcknowledgedAt == null).ToListAsync(cancellationToken);
            foreach (var member in folded)
                Stamping.Acknowledge(member, user.SubjectOf(), now);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var stamped in folded.Prepend(alert))
                await TellAsync(stamped);
        }
        return Stamping.Of(alert);
    }

    public async Task<Stamping.StampsView?> RespondAsync(ClaimsPrincipal user, Guid alertId, string text, CancellationToken cancellationToken)
    {
        var alert = await ReceivedAsync(user, alertId, cancellationToken);
        if (alert is null)
            return null;
        if (Stamping.Respond(alert, user.SubjectOf(), Stamping.Written, text.Trim(), clock.GetUtcNow()))
        {
            await db.SaveChangesAsync(cancellationToken);
            await TellAsync(alert);
        }
        return Stamping.Of(alert);
    }

    /// <summary>Pushes an alert's new stamps to the party that received it and the one whose release it announces.</summary>
    public async Task TellAsync(Alert alert)
    {
        var stamped = new StampedMessage(alert.Id, alert.ReportId, alert.Party, alert.Kind, Stamping.Of(alert));
        await hub.Clients.Group(AlertsHub.PartyGroup(alert.Party)).Stamped(stamped);
        if (alert.FromParty is { } sender && sender != alert.Party)
            await hub.Clients.Group(AlertsHub.PartyGroup(sender)).Stamped(stamped);
    }

    private Task<Alert?> ReceivedAsync(ClaimsPrincipal user, Guid alertId, CancellationToken cancellationToken)
    {
        var party = user.PartyOf();
        return db.Alerts.SingleOrDefaultAsync(a => a.Id == alertId && a.Party == party, cancellationToken);
    }
}

/// <summary>Hub method <c>stamped</c>: an alert's stamps changed.</summary>
public sealed record StampedMessage(Guid AlertId, Guid ReportId, string Party, string Kind, Stamping.StampsView Stamps);
