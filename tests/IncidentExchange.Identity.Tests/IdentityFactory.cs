using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Identity.Data;
using IncidentExchange.Identity.Tokens;
using IncidentExchange.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Identity.Tests;

/// <summary>The identity service in demo mode, seeded from the repository's own ops/demo files.</summary>
public class IdentityFactory : ServiceFactory<Program>
{
    public const string UsLabClient = "us-lab-demo";
    public const string UsLabSecret = "demo-us-lab-secret-4f9c2b7e8a1d6053";
    public const string UsOfficer = "us-officer";
    public const string UsOfficerPassword = "Demo-US-officer-2026!";
    public static readonly Guid UsContactPoint = Guid.Parse("0a1d5e00-0000-4000-8000-000000000001");
    public static readonly Guid CnContactPoint = Guid.Parse("0a1d5e00-0000-4000-8000-000000000003");

    protected override bool TrustTestTokens => false;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Demo:Enabled", "true"),
        new("Demo:SeedFile", Repository.PathOf("ops/demo/demo.json")),
        new("Demo:ClientsFile", Repository.PathOf("ops/demo/clients.json")),
    ];

    /// <summary>A client-credentials token, or the failed response's status.</summary>
    public async Task<string> TokenAsync(string clientId, string secret)
    {
        var response = await CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>A token of a machine client with the given roles in a party's contact point, made for the test in the database.</summary>
    public async Task<string> ClientTokenAsync(string party, params string[] roles)
    {
        var clientId = $"test-{party.ToLowerInvariant()}-{string.Join("-", roles)}";
        var secret = $"secret-of-{clientId}-for-tests";
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            if (await db.ApiClients.FindAsync(clientId) is null)
            {
                db.ApiClients.Add(new ApiClient
                {
                    ClientId = clientId, Party = party, OrganisationId = party == "US" ? UsContactPoint : CnContactPoint, Roles = roles,
                    CreatedAt = DateTimeOffset.UtcNow,
                });
                db.ClientSecrets.Add(new ClientSecret { Id = Guid.NewGuid(), ClientId = clientId, Hash = TokenEndpoint.HashSecret(secret), CreatedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync();
            }
        }
        return await TokenAsync(clientId, secret);
    }

    public HttpClient WithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
