using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IncidentExchange.Identity.Keys;

/// <summary>The discovery document (RFC 8414 / OpenID Connect Discovery fields a generic client needs) and the JWKS.</summary>
public static class DiscoveryEndpoints
{
    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/openid-configuration", (IOptions<TokenOptions> options) =>
        {
            var issuer = options.Value.Issuer.TrimEnd('/');
            return TypedResults.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer,
                ["token_endpoint"] = issuer + "/connect/token",
                ["jwks_uri"] = issuer + "/.well-known/jwks.json",
                ["grant_types_supported"] = new[] { "client_credentials" },
                ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post" },
                ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
                ["token_endpoint_auth_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
                ["claims_supported"] = new[] { PlatformClaims.Subject, PlatformClaims.Name, PlatformClaims.Party, PlatformClaims.Organisation, PlatformClaims.Role, PlatformClaims.ClientId },
                ["scopes_supported"] = Array.Empty<string>(),
            });
        });

        app.MapGet("/.well-known/jwks.json", async (SigningKeyStore store, HttpContext http, CancellationToken cancellationToken) =>
        {
            var keys = await store.GetPublishedKeysAsync(cancellationToken);
            http.Response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.Json(new
            {
                keys = keys.Select(key =>
                {
                    var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
                    return new Dictionary<string, string>
                    {
                        ["kty"] = "RSA",
                        ["use"] = "sig",
                        ["alg"] = SecurityAlgorithms.RsaSha256,
                        ["kid"] = key.KeyId,
                        ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                        ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                    };
                }),
            });
        });
        return app;
    }
}
