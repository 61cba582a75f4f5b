using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IncidentExchange.Identity.Keys;

/// <summary>The server's metadata (RFC 8414, and OpenID Connect Discovery's document) and the JWKS.</summary>
public static class DiscoveryEndpoints
{
    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder app)
    {
        // RFC 8414 for a plain OAuth client, OpenID Connect Discovery for one that looks there; the same server.
        app.MapGet("/.well-known/oauth-authorization-server", (IOptions<TokenOptions> options) => TypedResults.Json(Metadata(options.Value)));
        app.MapGet("/.well-known/openid-configuration", (IOptions<TokenOptions> options) =>
        {
            var metadata = Metadata(options.Value);
            // Required by OpenID Connect Discovery 1.0 §3, though no ID token is issued here (no people sign in by OIDC yet).
            metadata["subject_types_supported"] = new[] { "public" };
            metadata["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 };
            return TypedResults.Json(metadata);
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

    /// <summary>What the token service does (RFC 8414 §2), and nothing it does not.</summary>
    private static Dictionary<string, object> Metadata(TokenOptions options)
    {
        var issuer = options.Issuer.TrimEnd('/');
        return new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["token_endpoint"] = issuer + "/connect/token",
            ["jwks_uri"] = issuer + "/.well-known/jwks.json",
            ["grant_types_supported"] = new[] { "client_credentials" },
            // No authorization endpoint: machine clients use client credentials, and people sign in through /connect/login.
            ["response_types_supported"] = Array.Empty<string>(),
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post" },
            ["claims_supported"] = new[] { PlatformClaims.Subject, PlatformClaims.Name, PlatformClaims.Party, PlatformClaims.Organisation, PlatformClaims.Role, PlatformClaims.ClientId },
            ["scopes_supported"] = Array.Empty<string>(),
        };
    }
}
