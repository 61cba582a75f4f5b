using IncidentExchange.Alerts.Data;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace IncidentExchange.Alerts.Hub;

/// <summary>
/// <c>/hubs/alerts</c>: contact-point people receive their own party's alerts. The party group is decided here from
/// the token, never from anything the client says.
/// </summary>
[Authorize(Roles = $"{Roles.NcpOfficer},{Roles.NcpDuty}")]
public sealed class AlertsHub : Hub<IAlertsClient>
{
    public const string Path = "/hubs/alerts";

    public static string PartyGroup(string party) => $"party:{party}";

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, PartyGroup(Context.User!.PartyOf()));
        await base.OnConnectedAsync();
    }
}

/// <summary>What the hub calls on its clients.</summary>
public interface IAlertsClient
{
    /// <summary>Hub method <c>alert</c>.</summary>
    Task Alert(AlertMessage alert);
}

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
    DateTimeOffset RaisedAt)
{
    public static AlertMessage From(Alert alert) => new(alert.Id, alert.Sequence, alert.Kind, alert.ReportId, alert.ReportVersion,
        alert.Party, alert.Severity, new SeverityLabel(alert.SeverityLabelEn, alert.SeverityLabelZh), alert.Title, alert.Category,
        alert.Exercise, alert.RaisedAt);
}

public sealed record SeverityLabel(string En, [property: System.Text.Json.Serialization.JsonPropertyName("zh-Hans")] string ZhHans);
