using System.Security.Claims;
using System.Text.Json;
using IncidentExchange.Gateway.Data;
using IncidentExchange.Gateway.Signing;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Gateway.Pairing;

/// <summary>
/// The pairing ceremony, for this node's admins: <c>GET /api/v1/gateway/descriptor</c> exports this node's descriptor
/// (to hand to the other node's admins as a file), and <c>PUT /api/v1/gateway/peer</c> imports the other node's and pins
/// its key. A key once pinned is not replaced by another through this endpoint.
/// </summary>
public static class PairingEndpoints
{
    public sealed record PinnedView(string Party, string Thumbprint, DateTimeOffset PinnedAt);

    public static RouteGroupBuilder MapPairing(this RouteGroupBuilder group)
    {
        group.MapGet("/descriptor", Export).RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        group.MapGet("/peer", Get).RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.Auditor));
        group.MapPut("/peer", Pin).RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        return group;
    }

    private static IResult Export(NodeKey key, GatewayOptions options, TimeProvider clock) =>
        Results.Text(Descriptor.Of(key, options, clock.GetUtcNow()), "application/json");

    private static async Task<Results<Ok<PinnedView>, ProblemHttpResult>> Get(GatewayDb db, GatewayOptions options, CancellationToken cancellationToken) =>
        await db.Peers.AsNoTracking().SingleOrDefaultAsync(p => p.Party == options.Peer, cancellationToken) is { } peer
            ? TypedResults.Ok(new PinnedView(peer.Party, peer.Thumbprint, peer.PinnedAt))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No key is pinned for {options.Peer}");

    private static async Task<Results<Ok<PinnedView>, Created<PinnedView>, ProblemHttpResult>> Pin(
        JsonElement body, GatewayDb db, GatewayOptions options, TimeProvider clock, ClaimsPrincipal user, ILogger<PinnedPeer> logger, CancellationToken cancellationToken)
    {
        string party;
        PublicNodeKey key;
        try
        {
            (party, key) = Descriptor.Read(body);
        }
        catch (FormatException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The descriptor is not valid", detail: $"The descriptor is refused: {e.Message}.");
        }
        if (party != options.Peer)
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The descriptor is of another party",
                detail: $"This node ({options.Party}) is linked to {options.Peer}; the descriptor is {party}'s.");
        var pinned = await db.Peers.SingleOrDefaultAsync(p => p.Party == party, cancellationToken);
        if (pinned is not null)
            return pinned.Thumbprint == key.Thumbprint
                ? TypedResults.Ok(new PinnedView(pinned.Party, pinned.Thumbprint, pinned.PinnedAt))
                : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Another key is pinned for this party",
                    detail: $"{party}'s pinned key is {pinned.Thumbprint}; this descriptor has {key.Thumbprint}. Replacing a pinned key is not possible here.");
        var peer = new PinnedPeer { Party = party, Thumbprint = key.Thumbprint, Descriptor = body.GetRawText(), PinnedAt = clock.GetUtcNow() };
        db.Peers.Add(peer);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("Pinned {Party}'s node key {Thumbprint} (by {Subject})", party, key.Thumbprint, user.SubjectOf());
        var view = new PinnedView(peer.Party, peer.Thumbprint, peer.PinnedAt);
        return TypedResults.Created("/api/v1/gateway/peer", view);
    }
}
