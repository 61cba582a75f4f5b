using System.Text.Json.Nodes;
using IncidentExchange.Gateway.Data;
using IncidentExchange.Gateway.Pairing;
using IncidentExchange.Gateway.Signing;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Gateway.Record;

/// <summary>
/// <c>GET /api/v1/gateway/record</c>: the node's whole record, for its auditors and admins to export and hand to the
/// check (ops/verify-record.sh) with the other node's. <c>GET /api/v1/gateway/refused</c>: what arrived on the link and
/// was not applied, newest first, for the admins.
/// </summary>
public static class RecordEndpoints
{
    public sealed record RefusedView(Guid Id, DateTimeOffset ReceivedAt, string Reason, string Document);

    public static RouteGroupBuilder MapRecord(this RouteGroupBuilder group)
    {
        group.MapGet("/record", Export).RequireAuthorization(policy => policy.RequireRole(Roles.Auditor, Roles.Admin));
        group.MapGet("/refused", Refused).RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        return group;
    }

    private static async Task<IResult> Export(GatewayDb db, NodeKey key, GatewayOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var entries = await db.Record.AsNoTracking().OrderBy(e => e.Position).ToListAsync(cancellationToken);
        var peer = await db.Peers.AsNoTracking().SingleOrDefaultAsync(p => p.Party == options.Peer, cancellationToken);
        var export = new JsonObject
        {
            ["node"] = JsonNode.Parse(Descriptor.Of(key, options, clock.GetUtcNow())),
            ["peer"] = peer is null ? null : JsonNode.Parse(peer.Descriptor),
            ["entries"] = new JsonArray(entries.Select(e => (JsonNode)new JsonObject
            {
                ["position"] = e.Position,
                ["direction"] = e.Direction,
                ["type"] = e.Type,
                ["link"] = e.Link,
                ["seq"] = e.Seq,
                ["hash"] = e.Hash,
                ["chain"] = e.Chain,
                ["recordedAt"] = e.RecordedAt,
                ["document"] = e.Document,
            }).ToArray()),
        };
        return Results.Text(export.ToJsonString(), "application/json");
    }

    private static async Task<List<RefusedView>> Refused(GatewayDb db, CancellationToken cancellationToken) =>
        await db.Refused.AsNoTracking().OrderByDescending(r => r.ReceivedAt).Take(500)
            .Select(r => new RefusedView(r.Id, r.ReceivedAt, r.Reason, r.Document)).ToListAsync(cancellationToken);
}
