using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IncidentExchange.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentExchange.Identity.Tests.Tokens;

public sealed class TokenEndpointTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    [Fact]
    public async Task Client_credentials_give_a_short_lived_token_that_validates_against_the_published_keys()
    {
        var client = factory.CreateClient();
        var response = await client.PostAsync("/connect/token", Form(
            ("grant_type", "client_credentials"), ("client_id", IdentityFactory.UsLabClient), ("client_secret", IdentityFactory.UsLabSecret)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 60, 600);

        var discovery = await client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        var jwksPath = new Uri(discovery.GetProperty("jwks_uri").GetString()!).AbsolutePath;
        var jwks = new JsonWebKeySet(await client.GetStringAsync(jwksPath));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(body.GetProperty("access_token").GetString(), new TokenValidationParameters
        {
            ValidIssuer = TestTokens.Issuer,
            ValidAudience = "incidentexchange",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["at+jwt"], // RFC 9068
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.False(string.IsNullOrEmpty(token.Kid));
        Assert.Equal("US", token.GetClaim("party").Value);
        Assert.Equal("0a1d5e00-0000-4000-8000-000000000002", token.GetClaim("org").Value);
        Assert.Equal(["reporter"], token.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.True(token.ValidTo - token.ValidFrom <= TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Client_may_authenticate_with_http_basic()
    {
        var client = factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = Form(("grant_type", "client_credentials")) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{IdentityFactory.UsLabClient}:{IdentityFactory.UsLabSecret}")));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(IdentityFactory.UsLabClient, "wrong-secret")]
    [InlineData("no-such-client", "whatever")]
    public async Task Wrong_client_credentials_are_invalid_client(string clientId, string secret)
    {
        var response = await factory.CreateClient().PostAsync("/connect/token", Form(
            ("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret)));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Other_grant_types_are_unsupported()
    {
        var response = await factory.CreateClient().PostAsync("/connect/token", Form(
            ("grant_type", "password"), ("username", "us-officer"), ("password", IdentityFactory.UsOfficerPassword)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Missing_grant_type_or_a_json_body_is_invalid_request()
    {
        var client = factory.CreateClient();
        var noGrant = await client.PostAsync("/connect/token", Form(("client_id", IdentityFactory.UsLabClient)));
        var json = await client.PostAsJsonAsync("/connect/token", new { grant_type = "client_credentials" });
        foreach (var response in new[] { noGrant, json })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_request", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task A_form_beyond_the_form_limits_is_invalid_request_not_a_server_error()
    {
        var client = factory.CreateClient();
        var longName = await client.PostAsync("/connect/token", Form(("grant_type", "client_credentials"), (new string('k', 3000), "v")));
        var manyFields = await client.PostAsync("/connect/token", Form([("grant_type", "client_credentials"), .. Enumerable.Range(0, 1100).Select(i => ($"f{i}", "v"))]));
        foreach (var response in new[] { longName, manyFields })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_request", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }
    }
}
