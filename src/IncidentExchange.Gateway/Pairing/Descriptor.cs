using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentExchange.Gateway.Link;
using IncidentExchange.Gateway.Signing;

namespace IncidentExchange.Gateway.Pairing;

/// <summary>
/// What a node tells the other at pairing (protocols/link.md): its party, its public key and where the other's
/// shovel delivers to it, signed with that key. The other node imports it and pins the key.
/// </summary>
public static class Descriptor
{
    public const string Type = "descriptor";

    public static string Of(NodeKey key, GatewayOptions options, DateTimeOffset issuedAt) => SignedDocument.Sign(new JsonObject
    {
        ["type"] = Type,
        ["v"] = LinkDocuments.Version,
        ["party"] = options.Party,
        ["key"] = key.Public.Jwk.DeepClone(),
        ["link"] = new JsonObject { ["broker"] = options.LinkAddress, ["queue"] = $"ix.link.from-{options.Party}" },
        ["issuedAt"] = LinkDocuments.Timestamp(issuedAt),
    }, key);

    /// <summary>The party and key of a descriptor that its own key signed; throws <see cref="FormatException"/> otherwise.</summary>
    public static (string Party, PublicNodeKey Key) Read(JsonElement descriptor)
    {
        if (descriptor.ValueKind != JsonValueKind.Object || LinkDocuments.OptionalText(descriptor, "type") != Type)
            throw new FormatException("it is not a descriptor (\"type\": \"descriptor\")");
        if (!descriptor.TryGetProperty("v", out var v) || !v.TryGetInt32(out var version) || version != LinkDocuments.Version)
            throw new FormatException($"its version is not {LinkDocuments.Version}");
        var party = LinkDocuments.Text(descriptor, "party");
        if (!descriptor.TryGetProperty("key", out var jwk))
            throw new FormatException("it has no \"key\"");
        var key = PublicNodeKey.FromJwk(jwk);
        if (SignedDocument.Problem(descriptor, key) is { } problem)
            throw new FormatException($"it is not signed by its own key: {problem}");
        return (party, key);
    }
}
