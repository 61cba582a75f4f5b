using IncidentExchange.Alerts.Data;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Alerts.Stamps;

/// <summary>
/// The three stamps of an alert: <em>delivered</em> (stored in the receiving party's system: when it was raised),
/// <em>acknowledged</em> (a duty officer of the receiving party took it) and <em>responded</em> (the first substantive
/// reply). Each is set once: the first stands, with who and when.
/// </summary>
public static class Stamping
{
    public const string Acknowledged = "acknowledged";
    public const string Responded = "responded";

    /// <summary>The home contact point notified (released to) the counterpart, where the rule set requires it.</summary>
    public const string CounterpartNotified = "counterpart";

    public const string ByMessage = "message";
    public const string ByRelease = "release";
    public const string Written = "written";

    public sealed record StampView(DateTimeOffset? At, string? By, DateTimeOffset? DueAt);

    public sealed record ResponseView(DateTimeOffset? At, string? By, DateTimeOffset? DueAt, string? Kind, string? Text);

    /// <summary>The stamps as both parties see them: the receiving party on its alerts, the sending party on what it sent.</summary>
    public sealed record StampsView(
        StampView Delivered, StampView Acknowledged, ResponseView Responded, StampView? CounterpartNotified, string RuleSetVersion);

    public static StampsView Of(Alert alert) => new(
        new StampView(alert.RaisedAt, null, null),
        new StampView(alert.AcknowledgedAt, alert.AcknowledgedBy, alert.AcknowledgeDueAt),
        new ResponseView(alert.RespondedAt, alert.RespondedBy, alert.RespondDueAt, alert.ResponseKind, alert.ResponseText),
        alert.NotifyCounterpartDueAt is null && alert.CounterpartNotifiedAt is null
            ? null
            : new StampView(alert.CounterpartNotifiedAt, alert.CounterpartNotifiedBy, alert.NotifyCounterpartDueAt),
        alert.RuleSetVersion);

    /// <summary>Stamps a party's own report alerts of a report as notified to the counterpart, where not yet. Saved by the caller.</summary>
    public static async Task CounterpartNotifiedAsync(AlertsDb db, Guid reportId, string party, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        foreach (var alert in await db.Alerts.Where(a => a.ReportId == reportId && a.Party == party && a.Kind == Alert.ReportKind && a.CounterpartNotifiedAt == null)
                     .ToListAsync(cancellationToken))
        {
            alert.CounterpartNotifiedAt = at;
            alert.CounterpartNotifiedBy = by;
        }
    }

    /// <summary>Stamps the alert acknowledged unless it already was; true when this call stamped it.</summary>
    public static bool Acknowledge(Alert alert, string by, DateTimeOffset at)
    {
        if (alert.AcknowledgedAt is not null)
            return false;
        alert.AcknowledgedAt = at;
        alert.AcknowledgedBy = by;
        return true;
    }

    /// <summary>Stamps the alert responded unless it already was; a response also acknowledges an alert nobody acknowledged.</summary>
    public static bool Respond(Alert alert, string by, string kind, string? text, DateTimeOffset at)
    {
        if (alert.RespondedAt is not null)
            return false;
        Acknowledge(alert, by, at);
        alert.RespondedAt = at;
        alert.RespondedBy = by;
        alert.ResponseKind = kind;
        alert.ResponseText = text;
        return true;
    }

    /// <summary>Stamps as responded a party's alerts of the given kinds on a report, where none was yet. Saved by the caller.</summary>
    public static async Task<IReadOnlyList<Alert>> RespondedAsync(
        AlertsDb db, Guid reportId, string party, string[] kinds, string by, string kind, string? text, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var alerts = await db.Alerts.Where(a => a.ReportId == reportId && a.Party == party && kinds.Contains(a.Kind) && a.RespondedAt == null)
            .ToListAsync(cancellationToken);
        return alerts.Where(a => Respond(a, by, kind, text, at)).ToList();
    }
}
