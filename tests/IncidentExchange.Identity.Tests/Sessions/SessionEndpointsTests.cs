using System.Net;
using System.Net.Http.Json;
using IncidentExchange.Identity.Data;
using IncidentExchange.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IncidentExchange.Identity.Tests.Sessions;

public sealed class SessionEndpointsTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    [Fact]
    public async Task Sign_in_sets_an_http_only_same_site_strict_session_cookie_and_no_token()
    {
        var response = await Browser().PostAsJsonAsync("/connect/login", new { userName = IdentityFactory.UsOfficer, password = IdentityFactory.UsOfficerPassword });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ix_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"party\":\"US\"", body);
        Assert.DoesNotContain("eyJ", body); // no JWT handed to the browser
    }

    [Fact]
    public async Task Edge_exchange_turns_a_session_into_a_token_for_that_person()
    {
        var browser = Browser();
        (await browser.PostAsJsonAsync("/connect/login", new { userName = IdentityFactory.UsOfficer, password = IdentityFactory.UsOfficerPassword })).EnsureSuccessStatusCode();

        var response = await browser.GetAsync("/connect/session-token");
        var token = new JsonWebToken(response.Headers.GetValues("X-Access-Token").Single());
        Assert.Equal("US", token.GetClaim("party").Value);
        Assert.Equal("us-officer", token.GetClaim("name").Value);
        Assert.Contains("ncp-duty", token.Claims.Where(c => c.Type == "role").Select(c => c.Value));
    }

    [Fact]
    public async Task Edge_exchange_without_a_session_gives_no_token()
    {
        var response = await Browser().GetAsync("/connect/session-token");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Access-Token"));
    }

    [Fact]
    public async Task Wrong_password_is_401_problem_that_does_not_say_whether_the_user_exists()
    {
        var wrongPassword = await Browser().PostAsJsonAsync("/connect/login", new { userName = IdentityFactory.UsOfficer, password = "not-the-password" });
        var noSuchUser = await Browser().PostAsJsonAsync("/connect/login", new { userName = "nobody-here", password = "not-the-password" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal("application/problem+json", wrongPassword.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, noSuchUser.StatusCode);
        Assert.False(wrongPassword.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Five_failures_lock_the_account_even_against_the_right_password()
    {
        const string password = "Locked-Out-Test-2026!";
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var user = new User { UserName = "lockout-test", Party = "US", OrganisationId = Guid.Parse("0a1d5e00-0000-4000-8000-000000000001"), LockoutEnabled = true };
            Assert.True((await users.CreateAsync(user, password)).Succeeded);
        }
        for (var i = 0; i < 5; i++)
            await Browser().PostAsJsonAsync("/connect/login", new { userName = "lockout-test", password = "wrong" });

        var response = await Browser().PostAsJsonAsync("/connect/login", new { userName = "lockout-test", password });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_state_changing_request_from_another_site_is_refused_and_the_session_lives_on()
    {
        var browser = Browser();
        (await browser.PostAsJsonAsync("/connect/login", new { userName = IdentityFactory.UsOfficer, password = IdentityFactory.UsOfficerPassword })).EnsureSuccessStatusCode();

        var logout = new HttpRequestMessage(HttpMethod.Post, "/connect/logout") { Headers = { { "Origin", "http://attacker.example" } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(logout)).StatusCode);
        var login = new HttpRequestMessage(HttpMethod.Post, "/connect/login")
        {
            Headers = { { "Origin", "http://attacker.example" } },
            Content = JsonContent.Create(new { userName = IdentityFactory.UsOfficer, password = IdentityFactory.UsOfficerPassword }),
        };
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(login)).StatusCode);

        // At the edge: the exchange refuses a token for a POST from another site, and gives one for the platform's own page.
        var forged = new HttpRequestMessage(HttpMethod.Get, "/connect/session-token") { Headers = { { "Origin", "http://attacker.example" }, { "X-Original-Method", "POST" } } };
        var refused = await browser.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("X-Access-Token"));
        var own = new HttpRequestMessage(HttpMethod.Get, "/connect/session-token") { Headers = { { "Origin", TestTokens.Issuer }, { "X-Original-Method", "POST" } } };
        Assert.True((await browser.SendAsync(own)).Headers.Contains("X-Access-Token"));
        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/connect/logout", null)).StatusCode);
    }
}
