using System.Security.Cryptography;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace IncidentExchange.Testing;

/// <summary>
/// Tokens for API tests, signed by a key the service under test is told to trust in place of the identity service's
/// JWKS (which is a separate process). Validation itself is the service's real handler.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "http://issuer.test";

    public static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "test-key" };

    /// <summary>A key nobody trusts, for forged tokens.</summary>
    public static readonly RsaSecurityKey ForeignKey = new(RSA.Create(2048)) { KeyId = "test-key" };

    public static string Issue(string party, Guid organisation, params string[] roles) =>
        Issue(party, organisation, roles, Key);

    public static string Issue(string party, Guid organisation, string[] roles, SecurityKey key, string issuer = Issuer,
        string audience = PlatformClaims.Audience, TimeSpan? lifetime = null, string type = TokenAuthentication.AccessTokenType)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(5));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            NotBefore = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            Claims = new Dictionary<string, object>
            {
                [PlatformClaims.Subject] = $"test-{party.ToLowerInvariant()}-{organisation:N}",
                [PlatformClaims.Party] = party,
                [PlatformClaims.Organisation] = organisation.ToString(),
                [PlatformClaims.Role] = roles,
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A token with the claims of a good one but <c>alg: none</c> and no signature (RFC 7519 §6, an unsecured JWT).</summary>
    public static string Unsigned(string party, Guid organisation, params string[] roles)
    {
        var payload = Issue(party, organisation, roles).Split('.')[1];
        return $"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{payload}.";
    }

    /// <summary>What a service under test trusts in place of the identity service's JWKS: <see cref="Key"/> only.</summary>
    public static OpenIdConnectConfiguration Configuration() => new() { Issuer = Issuer, SigningKeys = { Key } };
}
