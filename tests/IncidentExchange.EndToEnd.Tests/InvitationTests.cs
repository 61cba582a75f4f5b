using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentExchange.EndToEnd.Tests;

/// <summary>
/// Through the edge: the US administrator's system invites a duty officer, the invitee accepts with the code and signs
/// in, and the session reads the US alerts; CN's administrator sees nothing of it.
/// </summary>
public sealed class InvitationTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task An_invited_duty_officer_signs_in_and_reads_the_partys_alerts_and_the_other_party_sees_nothing_of_it()
    {
        var usAdmin = platform.ClientWithToken(await platform.TokenAsync("us-admin-demo"));
        var cnAdmin = platform.ClientWithToken(await platform.TokenAsync("cn-admin-demo"));
        var organisations = await usAdmin.GetFromJsonAsync<JsonElement>("/connect/organisations");
        var contactPoint = organisations.GetProperty("organisations").EnumerateArray().Single(o => o.GetProperty("code").GetString() == "us-ncp").GetProperty("id").GetGuid();
        var invited = await usAdmin.PostAsJsonAsync("/connect/invitations", new { organisationId = contactPoint, roles = new[] { "ncp-duty" } });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var code = (await invited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

        var userName = $"night-duty-{Guid.NewGuid():N}"[..24];
        const string password = "Night-duty-password-2026";
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = Platform.Edge };
        Assert.Equal(HttpStatusCode.Created, (await browser.PostAsJsonAsync("/connect/invitations/accept", new { code, userName, password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/connect/login", new { userName, password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/alerts?latest=true&limit=1")).StatusCode);
        // Duty officers read; releasing is an officer's.
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsJsonAsync($"/api/v1/reports/{Guid.NewGuid()}/releases", new { toParty = "CN", tlp = "AMBER" })).StatusCode);

        Assert.Contains(userName, await usAdmin.GetStringAsync("/connect/users"));
        Assert.DoesNotContain(userName, await cnAdmin.GetStringAsync("/connect/users"));
        Assert.DoesNotContain("us-ncp", await cnAdmin.GetStringAsync("/connect/organisations"));
    }
}
