using IncidentExchange.Alerts.Data;
using IncidentExchange.Alerts.Stamps;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace IncidentExchange.Alerts.Hub;

/// <summary>
/// <c>/hubs/alerts</c>: contact-point people receive their own party's alerts, stamps, and the escalations addressed to
/// their role. Groups are decided here from the token, never from anything the client says. <c>Acknowledge(alertId)</c>
/// stamps an alert of the caller's party, as <c>POST /api/v1/alerts/{id}/ack</c> does.
/// </summary>
[Authorize(Roles = $"{Roles.NcpOfficer},{Roles.NcpDuty}")]
public sealed class AlertsHub(AlertStamps stamps) : Hub<IAlertsClient>
{
    public const string Path = "/hubs/alerts";

    public static string PartyGroup(string party) => $"party:{party}";

    public static string RoleGroup(string party, string role) => $"party:{party}:{role}";

    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        await Groups.AddToGroupAsync(Context.ConnectionId, PartyGroup(user.PartyOf()));
        foreach (var role in new[] { Roles.NcpDuty, Roles.NcpOfficer }.Where(user.IsInRole))
            await Groups.AddToGroupAsync(Context.ConnectionId, RoleGroup(user.PartyOf(), role));
        await base.OnConnectedAsync();
    }

    /// <summary>The alert's stamps after acknowledging it; a hub error when the caller's party received no such alert.</summary>
    public async Task<Stamping.StampsView> Acknowledge(Guid alertId) =>
        await stamps.AcknowledgeAsync(Context.User!, alertId, Context.ConnectionAborted) ?? throw new HubException("Alert not found.");
}

/// <summary>What the hub calls on its clients.</summary>
public interface IAlertsClient
{
    /// <summary>Hub method <c>alert</c>.</summary>
    Task Alert(AlertMessage alert);

    /// <summary>Hub method <c>stamped</c>: an alert received, or sent, has a new stamp.</summary>
    Task Stamped(StampedMessage stamped);

    /// <summary>Hub method <c>escalation</c>: a stamp is overdue and this role is on the ladder's current step.</summary>
    Task Escalation(EscalationMessage escalation);

    /// <summary>Hub method <c>digest</c>: the party's low-level alerts since the last digest.</summary>
    Task Digest(DigestMessage digest);

    /// <summary>Hub method <c>translated</c>: an alert's title has a new rendering in another language.</summary>
    Task Translated(TranslatedMessage translated);
}

/// <summary>An alert's title renderings, all of them, after one changed.</summary>
public sealed record TranslatedMessage(Guid AlertId, IReadOnlyList<TitleTranslation.View> TitleTranslations);

/// <summary>A digest as the hub pushes it.</summary>
public sealed record DigestMessage(string Party, DateTimeOffset SentAt, IReadOnlyList<AlertMessage> Alerts);

/// <summary>An escalation as the hub pushes it: the alert, which stamp is overdue since when, and the ladder step.</summary>
public sealed record EscalationMessage(Guid EscalationId, AlertMessage Alert, string Stamp, int Step, string Role, DateTimeOffset DueAt);

/// <summary>An alert as clients receive it, by hub and by <c>GET /api/v1/alerts</c>.</summary>
public sealed record AlertMessage(
    Guid AlertId,
    long Sequence,
    string Kind,
    Guid ReportId,
    int ReportVersion,
    string Party,
    int Severity,
    SeverityLabel SeverityLabel,
    string Title,
    string Category,
    bool Exercise,
    DateTimeOffset RaisedAt,
    Stamping.StampsView Stamps,
    Guid? IncidentId,
    Guid? GroupedUnder,
    bool Digest,
    IReadOnlyList<TitleTranslation.View> TitleTranslations)
{
    public static AlertMessage From(Alert alert) => new(alert.Id, alert.Sequence, alert.Kind, alert.ReportId, alert.ReportVersion,
        alert.Party, alert.Severity, new SeverityLabel(alert.SeverityLabelEn, alert.SeverityLabelZh), alert.Title, alert.Category,
        alert.Exercise, alert.RaisedAt, Stamping.Of(alert), alert.IncidentId, alert.GroupedUnder, alert.Digest,
        Translations.TitleTranslations.Deserialize(alert.TitleTranslations));
}

public sealed record SeverityLabel(string En, [property: System.Text.Json.Serialization.JsonPropertyName("zh-Hans")] string ZhHans);
