using System.Net;
using System.Net.Http.Json;
using IncidentExchange.Testing;

namespace IncidentExchange.Identity.Tests.Demo;

/// <summary>The identity service started without demo mode.</summary>
public sealed class ProductionIdentityFactory : ServiceFactory<Program>
{
    protected override bool TrustTestTokens => false;
}

public sealed class DemoSeedTests(ProductionIdentityFactory factory) : IClassFixture<ProductionIdentityFactory>
{
    [Fact]
    public async Task Without_demo_mode_no_party_organisation_person_or_client_is_seeded()
    {
        foreach (var table in new[] { "parties", "organisations", "asp_net_users", "api_clients" })
            Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM {table}"));

        var token = await factory.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "us-lab-demo", ["client_secret"] = "demo-us-lab-secret-4f9c2b7e8a1d6053",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        var login = await factory.CreateClient().PostAsJsonAsync("/connect/login", new { userName = "us-officer", password = "Demo-US-officer-2026!" });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }
}
