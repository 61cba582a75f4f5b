using System.Text.Json;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Gateway.Data;
using IncidentExchange.ServiceDefaults.Messaging;

namespace IncidentExchange.Gateway.Link;

/// <summary>
/// Turns a verified envelope into what it means on this node: a message on the node's own bus, published through the
/// outbox in the transaction that records the envelope. The kinds that may cross are listed here and in
/// protocols/link.md, and nothing else is applied.
/// </summary>
public sealed class Applier(GatewayDb db, GatewayOptions options)
{
    public const string Applied = "applied";

    /// <summary>A release of a report version by the other party to this one: the alert its contact points see.</summary>
    public const string ReportReleasedKind = "report.released";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>Applies the envelope's body; returns <see cref="Applied"/>, or why it was not applied.</summary>
    public string Apply(string kind, JsonElement body)
    {
        switch (kind)
        {
            case ReportReleasedKind:
                ReportReleased? released;
                try
                {
                    released = body.Deserialize<ReportReleased>(Json);
                }
                catch (JsonException e)
                {
                    return $"not applied: the body is not a {ReportReleasedKind} ({e.Message})";
                }
                if (released is null)
                    return $"not applied: the body is not a {ReportReleasedKind}";
                if (released.FromParty != options.Peer || released.ToParty != options.Party)
                    return $"not applied: a release from {released.FromParty} to {released.ToParty} cannot come over {options.Inbound}";
                db.Publish(released);
                return Applied;
            default:
                return $"not applied: kind \"{kind}\" is not one this node applies";
        }
    }
}
