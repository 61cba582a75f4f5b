using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IncidentExchange.Identity.Tests.People;

/// <summary>A party's admin invites people, sets their roles and disables them; nobody administers another party.</summary>
public sealed class PeopleAdministrationTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private const string Password = "A-long-enough-password-2026";

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private async Task<HttpClient> AdminAsync(string party) => factory.WithToken(await factory.ClientTokenAsync(party, "admin"));

    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private async Task<string> InviteAsync(HttpClient admin, Guid organisationId, params string[] roles)
    {
        var invited = await admin.PostAsJsonAsync("/connect/invitations", new { organisationId, roles });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        return (await Json(invited)).GetProperty("code").GetString()!;
    }

    private Task<HttpResponseMessage> AcceptAsync(string code, string userName, string password = Password) =>
        factory.CreateClient().PostAsJsonAsync("/connect/invitations/accept", new { code, userName, password });

    private static string NewUserName() => $"duty-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task An_invited_person_signs_in_with_the_invitations_party_organisation_and_roles_and_the_code_works_once()
    {
        var admin = await AdminAsync("US");
        var code = await InviteAsync(admin, IdentityFactory.UsContactPoint, "ncp-duty");
        Assert.Matches("^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$", code);
        Assert.DoesNotContain(code, await admin.GetStringAsync("/connect/invitations"));

        var userName = NewUserName();
        var accepted = await AcceptAsync(code, userName);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var browser = Browser();
        var session = await Json(await browser.PostAsJsonAsync("/connect/login", new { userName, password = Password }));
        Assert.Equal("US", session.GetProperty("party").GetString());
        Assert.Equal(["ncp-duty"], session.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var again = await AcceptAsync(code, NewUserName());
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("not a valid invitation", await again.Content.ReadAsStringAsync());

        var users = await Json(await admin.GetAsync("/connect/users"));
        var listed = users.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("userName").GetString() == userName);
        Assert.Equal(IdentityFactory.UsContactPoint, listed.GetProperty("organisationId").GetGuid());
        var invitation = (await Json(await admin.GetAsync("/connect/invitations"))).GetProperty("invitations").EnumerateArray()
            .Single(i => i.GetProperty("acceptedUserId").ValueKind != JsonValueKind.Null && i.GetProperty("acceptedUserId").GetGuid() == listed.GetProperty("id").GetGuid());
        Assert.Equal(["ncp-duty"], invitation.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var audit = await factory.WithToken(await factory.ClientTokenAsync("US", "auditor")).GetStringAsync("/connect/audit?limit=50");
        Assert.Contains("invitation-created", audit);
        Assert.Contains("invitation-accepted", audit);
    }

    [Fact]
    public async Task A_refused_user_name_or_password_creates_nobody_and_leaves_the_invitation_usable()
    {
        var admin = await AdminAsync("US");
        var code = await InviteAsync(admin, IdentityFactory.UsContactPoint, "ncp-officer", "ncp-duty");
        var before = (await Json(await admin.GetAsync("/connect/users"))).GetProperty("users").GetArrayLength();

        foreach (var (userName, password, field) in new[]
                 {
                     ("x'; DROP TABLE users; --", Password, "userName"),
                     ("<script>alert(1)</script>", Password, "userName"),
                     (NewUserName(), "short", "password"),
                     (NewUserName(), new string('a', 300), "password"),
                 })
        {
            var refused = await AcceptAsync(code, userName, password);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await Json(refused);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} named for {userName}");
            Assert.DoesNotContain("<script>", problem.GetRawText());
        }
        // Taken user names are refused too (the demo's officer), and the invitation survives that as well.
        Assert.Equal(HttpStatusCode.Conflict, (await AcceptAsync(code, IdentityFactory.UsOfficer)).StatusCode);
        Assert.Equal(before, (await Json(await admin.GetAsync("/connect/users"))).GetProperty("users").GetArrayLength());

        Assert.Equal(HttpStatusCode.Created, (await AcceptAsync(code, NewUserName())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await AcceptAsync("AAAAA-BBBBB-CCCCC-DDDDD", NewUserName())).StatusCode);
    }

    [Fact]
    public async Task The_admin_changes_roles_and_disables_a_person_whose_session_then_ends()
    {
        var admin = await AdminAsync("US");
        var userName = NewUserName();
        Assert.Equal(HttpStatusCode.Created, (await AcceptAsync(await InviteAsync(admin, IdentityFactory.UsContactPoint, "ncp-duty"), userName)).StatusCode);
        var id = (await Json(await admin.GetAsync("/connect/users"))).GetProperty("users").EnumerateArray()
            .Single(u => u.GetProperty("userName").GetString() == userName).GetProperty("id").GetGuid();

        var changed = await Json(await admin.PutAsJsonAsync($"/connect/users/{id}/roles", new { roles = new[] { "ncp-officer", "ncp-duty" } }));
        Assert.Equal(["ncp-duty", "ncp-officer"], changed.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/connect/users/{id}/roles", new { roles = new[] { "superuser" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/connect/users/{id}/roles", new { roles = Array.Empty<string>() })).StatusCode);

        var browser = Browser();
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/connect/login", new { userName, password = Password })).StatusCode);
        var disabled = await Json(await admin.PostAsync($"/connect/users/{id}/disable", null));
        Assert.True(disabled.GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser().PostAsJsonAsync("/connect/login", new { userName, password = Password })).StatusCode);
    }

    [Fact]
    public async Task Nobody_administers_another_party_and_only_admins_administer()
    {
        var us = await AdminAsync("US");
        var cn = await AdminAsync("CN");
        var userName = NewUserName();
        Assert.Equal(HttpStatusCode.Created, (await AcceptAsync(await InviteAsync(us, IdentityFactory.UsContactPoint, "ncp-duty"), userName)).StatusCode);
        var id = (await Json(await us.GetAsync("/connect/users"))).GetProperty("users").EnumerateArray()
            .Single(u => u.GetProperty("userName").GetString() == userName).GetProperty("id").GetGuid();

        Assert.DoesNotContain(userName, await cn.GetStringAsync("/connect/users"));
        Assert.DoesNotContain(IdentityFactory.UsContactPoint.ToString(), await cn.GetStringAsync("/connect/organisations"));
        Assert.DoesNotContain(id.ToString(), await cn.GetStringAsync("/connect/invitations"));
        Assert.Equal(HttpStatusCode.NotFound, (await cn.PutAsJsonAsync($"/connect/users/{id}/roles", new { roles = new[] { "admin" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cn.PostAsync($"/connect/users/{id}/disable", null)).StatusCode);
        var crossInvite = await cn.PostAsJsonAsync("/connect/invitations", new { organisationId = IdentityFactory.UsContactPoint, roles = new[] { "admin" } });
        Assert.Equal(HttpStatusCode.BadRequest, crossInvite.StatusCode);
        Assert.True((await Json(crossInvite)).GetProperty("errors").TryGetProperty("organisationId", out _));
        var roles = (await Json(await us.GetAsync("/connect/users"))).GetProperty("users").EnumerateArray()
            .Single(u => u.GetProperty("id").GetGuid() == id).GetProperty("roles");
        Assert.Equal(["ncp-duty"], roles.EnumerateArray().Select(r => r.GetString()));

        var officer = factory.WithToken(await factory.ClientTokenAsync("US", "ncp-officer"));
        foreach (var forbidden in new[]
                 {
                     await officer.GetAsync("/connect/users"),
                     await officer.GetAsync("/connect/organisations"),
                     await officer.PostAsJsonAsync("/connect/invitations", new { organisationId = IdentityFactory.UsContactPoint, roles = new[] { "admin" } }),
                     await officer.PutAsJsonAsync($"/connect/users/{id}/roles", new { roles = new[] { "admin" } }),
                 })
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/connect/users")).StatusCode);
    }

    [Fact]
    public async Task An_admin_adds_an_organisation_of_its_own_party_and_invites_into_it()
    {
        var admin = await AdminAsync("CN");
        var code = $"cn-lab-{Guid.NewGuid():N}"[..24];
        var created = await admin.PostAsJsonAsync("/connect/organisations", new { code, name = "示例实验室 <b>二</b>", kind = "lab" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var organisationId = (await Json(created)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/connect/organisations", new { code, name = "again", kind = "lab" })).StatusCode);
        var bad = await admin.PostAsJsonAsync("/connect/organisations", new { code = "Bad Code!", name = "", kind = "ministry" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["code", "kind", "name"], (await Json(bad)).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());

        var userName = NewUserName();
        Assert.Equal(HttpStatusCode.Created, (await AcceptAsync(await InviteAsync(admin, organisationId, "reporter"), userName)).StatusCode);
        var session = await Json(await Browser().PostAsJsonAsync("/connect/login", new { userName, password = Password }));
        Assert.Equal("CN", session.GetProperty("party").GetString());
        Assert.Equal(["reporter"], session.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }
}
