using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Identity.Data;
using IncidentExchange.Identity.Keys;
using IncidentExchange.Identity.Tokens;
using IncidentExchange.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IncidentExchange.Identity.Tests.Keys;

/// <summary>The identity service on a clock the test moves, with an admin client of its own.</summary>
public sealed class RotatingIdentityFactory : ServiceFactory<Program>
{
    public const string AdminClient = "us-admin-test";
    public const string AdminSecret = "admin-secret-for-the-key-rotation-tests";

    public ManualClock Clock { get; } = new();

    protected override bool TrustTestTokens => false;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Demo:Enabled", "true"),
        new("Demo:SeedFile", Repository.PathOf("ops/demo/demo.json")),
        new("Demo:ClientsFile", Repository.PathOf("ops/demo/clients.json")),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    public async Task<string> TokenAsync(string clientId, string secret)
    {
        var response = await CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    public async Task<string> AdminTokenAsync()
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            if (await db.ApiClients.FindAsync(AdminClient) is null)
            {
                db.ApiClients.Add(new ApiClient
                {
                    ClientId = AdminClient, SecretHash = TokenEndpoint.HashSecret(AdminSecret), Party = "US",
                    OrganisationId = Guid.Parse("0a1d5e00-0000-4000-8000-000000000001"), Roles = ["admin"], CreatedAt = DateTimeOffset.UtcNow,
                });
                await db.SaveChangesAsync();
            }
        }
        return await TokenAsync(AdminClient, AdminSecret);
    }
}

public sealed class KeyRotationTests(RotatingIdentityFactory factory) : IClassFixture<RotatingIdentityFactory>
{
    private async Task<List<string>> PublishedKeyIdsAsync() =>
        (await factory.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/jwks.json")).GetProperty("keys").EnumerateArray()
        .Select(k => k.GetProperty("kid").GetString()!).ToList();

    private async Task<HttpResponseMessage> RotateAsync(string token, bool compromised)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.PostAsJsonAsync("/connect/keys/rotate", new { compromised });
    }

    [Fact]
    public async Task A_rotation_signs_with_the_new_key_and_publishes_the_old_one_until_its_tokens_have_expired()
    {
        var admin = await factory.AdminTokenAsync();
        var before = new JsonWebToken(admin).Kid;

        var response = await RotateAsync(admin, compromised: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rotated = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keyId").GetString()!;
        Assert.NotEqual(before, rotated);
        Assert.Equal(rotated, new JsonWebToken(await factory.AdminTokenAsync()).Kid);
        Assert.Equal(rotated, (await PublishedKeyIdsAsync())[0]);
        Assert.Contains(before, await PublishedKeyIdsAsync());
        Assert.Equal(HttpStatusCode.OK, (await RotateAsync(admin, compromised: false)).StatusCode); // a token of the old key still works

        var later = SigningKeyStore.Overlap + TimeSpan.FromMinutes(1);
        factory.Clock.Advance(later);
        try
        {
            Assert.DoesNotContain(before, await PublishedKeyIdsAsync());
        }
        finally
        {
            factory.Clock.Advance(-later); // tokens minted on a clock ahead would not be valid yet for the other tests
        }
    }

    [Fact]
    public async Task A_rotation_for_a_compromised_key_unpublishes_it_at_once_and_its_tokens_are_refused()
    {
        var admin = await factory.AdminTokenAsync();
        var compromised = new JsonWebToken(admin).Kid;

        Assert.Equal(HttpStatusCode.OK, (await RotateAsync(admin, compromised: true)).StatusCode);

        Assert.DoesNotContain(compromised, await PublishedKeyIdsAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await RotateAsync(admin, compromised: false)).StatusCode);
    }

    [Fact]
    public async Task Only_an_admin_rotates_keys()
    {
        var keys = await PublishedKeyIdsAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await RotateAsync(await factory.TokenAsync("us-ncp-demo", "demo-us-ncp-secret-2c8a6f4e1b9d7035"), false)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsJsonAsync("/connect/keys/rotate", new { compromised = false })).StatusCode);
        Assert.Equal(keys, await PublishedKeyIdsAsync());
    }
}
