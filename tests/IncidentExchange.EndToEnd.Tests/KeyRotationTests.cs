using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IncidentExchange.EndToEnd.Tests;

/// <summary>
/// A key rotation reaches every service at once. Each service has the JWKS cached from earlier requests; a token signed
/// by the new key names a key it does not know, so it fetches the JWKS again and lets the token in on its first request,
/// and a token of the key before still works through its overlap.
/// </summary>
public sealed class KeyRotationTests(Platform platform) : IClassFixture<Platform>
{
    private static readonly string[] EveryService = ["/api/v1/reports", "/api/v1/alerts", "/api/v1/incidents", "/api/v1/severity/rule-sets", "/api/v1/drills"];

    [Fact]
    public async Task Every_service_accepts_a_token_of_a_new_key_on_its_first_request()
    {
        var before = await platform.TokenAsync("us-ncp-demo");
        foreach (var path in EveryService)
            Assert.Equal(HttpStatusCode.OK, (await platform.ClientWithToken(before).GetAsync(path)).StatusCode);

        var rotated = await platform.ClientWithToken(await platform.TokenAsync("us-admin-demo"))
            .PostAsJsonAsync("/connect/keys/rotate", new { compromised = false });
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var keyId = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keyId").GetString();

        var after = await platform.TokenAsync("us-ncp-demo");
        Assert.Equal(keyId, new JsonWebToken(after).Kid);
        foreach (var path in EveryService)
        {
            Assert.Equal(HttpStatusCode.OK, (await platform.ClientWithToken(after).GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await platform.ClientWithToken(before).GetAsync(path)).StatusCode);
        }
    }
}
