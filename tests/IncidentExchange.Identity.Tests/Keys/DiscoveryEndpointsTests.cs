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
