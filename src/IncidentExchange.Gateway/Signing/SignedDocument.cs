using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace IncidentExchange.Gateway.Signing;

/// <summary>
/// What every document that crosses the line has in common (descriptors, envelopes, receipts): its content is a JSON
/// object; its hash is the SHA-256 of the content's canonical form (RFC 8785) without the <c>sig</c> member; and
/// <c>sig</c> holds the sending node's ES256 signature of those same bytes, with the key's thumbprint as <c>kid</c>.
/// </summary>
public static class SignedDocument
{
    public const string Algorithm = "ES256";

    /// <summary>Signs <paramref name="content"/> (which must not yet have a <c>sig</c>) and returns the document's text.</summary>
    public static string Sign(JsonObject content, NodeKey key)
    {
        var bytes = CanonicalJson.Serialize(content.ToJsonString());
        content["sig"] = new JsonObject
        {
            ["alg"] = Algorithm,
            ["kid"] = key.Public.Thumbprint,
            ["value"] = Base64UrlEncoder.Encode(key.Sign(bytes)),
        };
        return System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(content.ToJsonString()));
    }

    /// <summary>The hash that names a document: base64url SHA-256 of its canonical content, <c>sig</c> left out.</summary>
    public static string Hash(JsonElement document) => Base64UrlEncoder.Encode(SHA256.HashData(SignedBytes(document)));

    /// <summary>Null when <paramref name="key"/> signed the document; otherwise why not.</summary>
    public static string? Problem(JsonElement document, PublicNodeKey key)
    {
        if (document.ValueKind != JsonValueKind.Object)
            return "it is not a JSON object";
        if (!document.TryGetProperty("sig", out var sig) || sig.ValueKind != JsonValueKind.Object)
            return "it is not signed";
        if (Text(sig, "alg") != Algorithm)
            return $"its signature algorithm is not {Algorithm}";
        if (Text(sig, "kid") != key.Thumbprint)
            return $"it is signed by key {Text(sig, "kid") ?? "(none)"}, not by the pinned key {key.Thumbprint}";
        byte[] signature;
        try
        {
            signature = Base64UrlEncoder.DecodeBytes(Text(sig, "value") ?? "");
        }
        catch (FormatException)
        {
            return "its signature is not base64url";
        }
        return key.Verifies(SignedBytes(document), signature) ? null : "its signature does not verify";
    }

    private static byte[] SignedBytes(JsonElement document)
    {
        var content = JsonNode.Parse(document.GetRawText())!.AsObject();
        content.Remove("sig");
        return CanonicalJson.Serialize(content.ToJsonString());
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
