using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace IncidentExchange.Testing;

/// <summary>
/// What every service must refuse, each with a 401 problem and <c>WWW-Authenticate: Bearer error="invalid_token"</c>:
/// tokens forged, tampered, unsigned, expired, without an expiry, for another audience or from another issuer, and
/// signed by a key that is not (or no longer) published. A good token of the same shape is let in, so that a refusal
/// is the token's doing. Each service's test project derives one class from this, naming a route a US contact point
/// (or administrator) may read.
/// </summary>
public abstract class BearerTokenTests<TProgram>(ServiceFactory<TProgram> factory) where TProgram : class
{
    private static readonly Guid Organisation = Guid.Parse("5e1f0000-0000-4000-8000-000000000001");
    private static readonly string[] AllRoles = ["ncp-officer", "ncp-duty", "coordinator", "admin", "auditor"];

    /// <summary>A GET that the good token may make.</summary>
    protected abstract string ProtectedPath { get; }

    /// <summary>A token the service accepts; by default one signed by the key the service under test trusts.</summary>
    protected virtual Task<string> GoodTokenAsync() => Task.FromResult(TestTokens.Issue("US", Organisation, AllRoles));

    public static TheoryData<string> BadTokens => new(
        "forged: signed by a key nobody trusts, under the trusted key's id",
        "rotated out: signed by a key whose id is no longer published",
        "tampered: the party changed after signing",
        "unsigned: alg none",
        "alg confusion: HS256 keyed with the public key",
        "expired five minutes ago",
        "no expiry",
        "another audience",
        "another issuer",
        "not an access token: typ JWT (RFC 9068)",
        "not a JWT");

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_refused_with_a_401_problem(string kind)
    {
        var response = await factory.ClientWithToken(await BadTokenAsync(kind)).GetAsync(ProtectedPath);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_good_token_is_let_in()
    {
        var response = await factory.ClientWithToken(await GoodTokenAsync()).GetAsync(ProtectedPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<string> BadTokenAsync(string kind)
    {
        var good = await GoodTokenAsync();
        var parts = good.Split('.');
        switch (kind.Split(':')[0])
        {
            case "forged":
                return TestTokens.Issue("US", Organisation, AllRoles, TestTokens.ForeignKey);
            case "rotated out":
                return TestTokens.Issue("US", Organisation, AllRoles, new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rotated-out" });
            case "tampered":
                var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
                payload["party"] = "CN";
                return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
            case "unsigned":
                return $"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{parts[1]}.";
            case "alg confusion":
                var header = Base64UrlEncoder.Encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
                var signature = HMACSHA256.HashData(Encoding.ASCII.GetBytes(TestTokens.Key.Rsa.ExportSubjectPublicKeyInfoPem()),
                    Encoding.ASCII.GetBytes($"{header}.{parts[1]}"));
                return $"{header}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
            case "expired five minutes ago":
                return TestTokens.Issue("US", Organisation, AllRoles, TestTokens.Key, lifetime: TimeSpan.FromMinutes(-5));
            case "no expiry":
                return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
                {
                    Issuer = TestTokens.Issuer,
                    Audience = ServiceDefaults.Authentication.PlatformClaims.Audience,
                    Claims = new Dictionary<string, object> { ["sub"] = "no-expiry", ["party"] = "US", ["org"] = Organisation.ToString(), ["role"] = AllRoles },
                    SigningCredentials = new SigningCredentials(TestTokens.Key, SecurityAlgorithms.RsaSha256),
                });
            case "another audience":
                return TestTokens.Issue("US", Organisation, AllRoles, TestTokens.Key, audience: "another-api");
            case "another issuer":
                return TestTokens.Issue("US", Organisation, AllRoles, TestTokens.Key, issuer: "http://someone-else.test");
            case "not an access token":
                return TestTokens.Issue("US", Organisation, AllRoles, TestTokens.Key, type: "JWT");
            case "not a JWT":
                return "not-a-jwt";
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
