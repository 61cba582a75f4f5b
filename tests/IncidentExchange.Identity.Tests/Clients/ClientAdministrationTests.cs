using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentExchange.Identity.Tests.Clients;

public sealed class ClientAdministrationTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private async Task<HttpStatusCode> TokenStatusAsync(string clientId, string secret) =>
        (await factory.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }))).StatusCode;

    private async Task<(string ClientId, string Secret, HttpClient Admin)> CreatedAsync()
    {
        var admin = factory.WithToken(await factory.ClientTokenAsync("US", "admin"));
        var clientId = $"lab-system-{Guid.NewGuid():N}"[..30];
        var created = await admin.PostAsJsonAsync("/connect/clients", new { clientId, organisationId = IdentityFactory.UsContactPoint, roles = new[] { "ncp-duty" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (clientId, (await Json(created)).GetProperty("secret").GetString()!, admin);
    }

    [Fact]
    public async Task A_new_clients_secret_is_shown_once_and_gets_tokens()
    {
        var (clientId, secret, admin) = await CreatedAsync();

        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(clientId, secret));
        var list = await admin.GetStringAsync("/connect/clients");
        Assert.Contains(clientId, list);
        Assert.DoesNotContain(secret, list);
    }

    [Fact]
    public async Task Two_secrets_rotate_without_downtime_and_a_revoked_one_stops_working()
    {
        var (clientId, first, admin) = await CreatedAsync();
        var added = await Json(await admin.PostAsync($"/connect/clients/{clientId}/secrets", null));
        var second = added.GetProperty("secret").GetString()!;

        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(clientId, first));
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(clientId, second));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/connect/clients/{clientId}/secrets", null)).StatusCode);

        var client = (await Json(await admin.GetAsync("/connect/clients"))).GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("clientId").GetString() == clientId);
        var firstId = client.GetProperty("secrets").EnumerateArray().First(s => s.GetProperty("id").GetGuid() != added.GetProperty("secretId").GetGuid()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/connect/clients/{clientId}/secrets/{firstId}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(clientId, first));
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(clientId, second));
    }

    [Fact]
    public async Task A_revoked_client_gets_no_new_token()
    {
        var (clientId, secret, admin) = await CreatedAsync();

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/connect/clients/{clientId}/revoke", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(clientId, secret));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/connect/clients/{clientId}/secrets", null)).StatusCode);
    }

    [Fact]
    public async Task Nobody_administers_another_partys_clients_and_only_admins_administer()
    {
        var (clientId, secret, _) = await CreatedAsync();
        var cnAdmin = factory.WithToken(await factory.ClientTokenAsync("CN", "admin"));

        Assert.DoesNotContain(clientId, await cnAdmin.GetStringAsync("/connect/clients"));
        Assert.Equal(HttpStatusCode.NotFound, (await cnAdmin.PostAsync($"/connect/clients/{clientId}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cnAdmin.PostAsync($"/connect/clients/{clientId}/secrets", null)).StatusCode);
        var foreignOrganisation = await cnAdmin.PostAsJsonAsync("/connect/clients", new { clientId = "cn-into-us", organisationId = IdentityFactory.UsContactPoint, roles = new[] { "reporter" } });
        Assert.Equal(HttpStatusCode.BadRequest, foreignOrganisation.StatusCode);

        var officer = factory.WithToken(await factory.ClientTokenAsync("US", "ncp-officer"));
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/connect/clients")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsync($"/connect/clients/{clientId}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(clientId, secret));
    }

    [Fact]
    public async Task Bad_clients_are_refused_field_by_field_and_nothing_is_made()
    {
        var admin = factory.WithToken(await factory.ClientTokenAsync("US", "admin"));

        var response = await admin.PostAsJsonAsync("/connect/clients", new { clientId = "<script>alert(1)</script>", organisationId = Guid.NewGuid(), roles = new[] { "root" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("clientId", out _) && errors.TryGetProperty("organisationId", out _) && errors.TryGetProperty("roles", out _));
        Assert.DoesNotContain("<script>", await admin.GetStringAsync("/connect/clients"));
    }

    [Fact]
    public async Task Auditors_read_their_partys_trail_of_sign_ins_tokens_and_administration_and_no_other()
    {
        var (clientId, _, _) = await CreatedAsync();
        await factory.CreateClient().PostAsJsonAsync("/connect/login", new { userName = IdentityFactory.UsOfficer, password = "wrong-password-here" });
        await TokenStatusAsync(clientId, "not-the-secret");

        var trail = await Json(await factory.WithToken(await factory.ClientTokenAsync("US", "auditor")).GetAsync("/connect/audit?limit=1000"));
        var events = trail.GetProperty("events").EnumerateArray()
            .Select(e => $"{e.GetProperty("action").GetString()}|{e.GetProperty("actor").GetString()}|{e.GetProperty("target").GetString()}|{e.GetProperty("outcome").GetString()}").ToList();
        Assert.Contains(events, e => e.StartsWith("client-created|", StringComparison.Ordinal) && e.Contains(clientId));
        Assert.Contains($"token|{clientId}|{clientId}|refused", events);
        Assert.Contains($"sign-in|{IdentityFactory.UsOfficer}||refused", events);

        var cnTrail = await factory.WithToken(await factory.ClientTokenAsync("CN", "auditor")).GetStringAsync("/connect/audit?limit=1000");
        Assert.DoesNotContain(clientId, cnTrail);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.WithToken(await factory.ClientTokenAsync("US", "ncp-officer")).GetAsync("/connect/audit")).StatusCode);
    }
}
