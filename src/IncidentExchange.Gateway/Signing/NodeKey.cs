using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace IncidentExchange.Gateway.Signing;

/// <summary>
/// A node's public signing key (ECDSA P-256), as the other node pins it: a JSON Web Key (RFC 7517) named by its
/// thumbprint (RFC 7638).
/// </summary>
public sealed class PublicNodeKey
{
    private readonly ECDsa _key;

    private PublicNodeKey(ECDsa key, string x, string y)
    {
        _key = key;
        Jwk = new JsonObject { ["crv"] = "P-256", ["kty"] = "EC", ["x"] = x, ["y"] = y };
        // RFC 7638: the SHA-256 of the required members in canonical form.
        Thumbprint = Base64UrlEncoder.Encode(SHA256.HashData(CanonicalJson.Serialize(Jwk.ToJsonString())));
    }

    public JsonObject Jwk { get; }

    public string Thumbprint { get; }

    public static PublicNodeKey FromJwk(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object
            || Member(jwk, "kty") != "EC" || Member(jwk, "crv") != "P-256"
            || Member(jwk, "x") is not { } x || Member(jwk, "y") is not { } y)
            throw new FormatException("The key is not a P-256 JSON Web Key (kty EC, crv P-256, x, y).");
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(x), Y = Base64UrlEncoder.DecodeBytes(y) },
        };
        if (parameters.Q.X!.Length != 32 || parameters.Q.Y!.Length != 32)
            throw new FormatException("The key's coordinates are not 32 bytes each.");
        try
        {
            return new PublicNodeKey(ECDsa.Create(parameters), x, y);
        }
        catch (CryptographicException e)
        {
            throw new FormatException("The key is not a point on P-256.", e);
        }
    }

    internal static PublicNodeKey Of(ECDsa key)
    {
        var q = key.ExportParameters(includePrivateParameters: false).Q;
        return new PublicNodeKey(ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = q }),
            Base64UrlEncoder.Encode(q.X), Base64UrlEncoder.Encode(q.Y));
    }

    public bool Verifies(byte[] data, byte[] signature) =>
        signature.Length == 64 && _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    private static string? Member(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// This node's signing key: ECDSA P-256 from .NET's own cryptography, in a PKCS#8 file that only the gateway's user can
/// read (created at first start), never in a database and so never in a backup of one.
/// </summary>
public sealed class NodeKey
{
    private readonly ECDsa _key;

    private NodeKey(ECDsa key)
    {
        _key = key;
        Public = PublicNodeKey.Of(key);
    }

    public PublicNodeKey Public { get; }

    public static NodeKey LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256)
                throw new InvalidOperationException($"{path} does not hold a P-256 key.");
            return new NodeKey(key);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new StreamWriter(path, options))
            file.Write(created.ExportPkcs8PrivateKeyPem());
        return new NodeKey(created);
    }

    public byte[] Sign(byte[] data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}
