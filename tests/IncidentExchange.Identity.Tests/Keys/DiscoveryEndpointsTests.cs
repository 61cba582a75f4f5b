using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Testing;

namespace IncidentExchange.Identity.Tests.Keys;

public sealed class DiscoveryEndpointsTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    [Fact]
    public async Task Discovery_document_names_issuer_token_endpoint_and_keys()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        Assert.Equal(TestTokens.Issuer, document.GetProperty("issuer").GetString());
        Assert.Equal($"{TestTokens.Issuer}/connect/token", document.GetProperty("token_endpoint").GetString());
        Assert.Equal($"{TestTokens.Issuer}/.well-known/jwks.json", document.GetProperty("jwks_uri").GetString());
        Assert.Contains("client_credentials", document.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Both_metadata_documents_have_the_required_fields_and_advertise_nothing_that_is_not_there()
    {
        var client = factory.CreateClient();
        var oauth = await client.GetFromJsonAsync<JsonElement>("/.well-known/oauth-authorization-server");
        var oidc = await client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");

        foreach (var document in new[] { oauth, oidc })
        {
            Assert.Equal(TestTokens.Issuer, document.GetProperty("issuer").GetString()); // RFC 8414 §3.3: the same issuer
            Assert.Equal(JsonValueKind.Array, document.GetProperty("response_types_supported").ValueKind);
            Assert.False(document.TryGetProperty("token_endpoint_auth_signing_alg_values_supported", out _), "no JWT client authentication exists");
            Assert.False(document.TryGetProperty("authorization_endpoint", out _));
        }
        Assert.Equal(["public"], oidc.GetProperty("subject_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.True(oidc.TryGetProperty("id_token_signing_alg_values_supported", out _));
        Assert.False(oauth.TryGetProperty("id_token_signing_alg_values_supported", out _), "no ID tokens are issued");
    }

    [Fact]
    public async Task Jwks_publishes_public_rsa_keys_only()
    {
        var jwks = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        var key = jwks.GetProperty("keys").EnumerateArray().First();
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        foreach (var privatePart in new[] { "d", "p", "q", "dp", "dq", "qi" })
            Assert.False(key.TryGetProperty(privatePart, out _), $"private parameter {privatePart} published");
    }
}
