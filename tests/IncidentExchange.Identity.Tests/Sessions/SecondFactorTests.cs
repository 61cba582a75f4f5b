using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Identity.Data;
using IncidentExchange.Identity.Tests.Demo;
using IncidentExchange.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Identity.Tests.Sessions;

/// <summary>TOTP second factor outside demo mode: enrolment, sign-in with a code or a recovery code, lockout.</summary>
public sealed class SecondFactorTests(ProductionIdentityFactory factory) : IClassFixture<ProductionIdentityFactory>
{
    private const string Password = "A-long-enough-password-2026";

    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private async Task<string> PersonAsync(params string[] roles)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        if (await db.Parties.FindAsync("US") is null)
        {
            db.Parties.Add(new Party { Code = "US", Name = "United States", Languages = ["en"] });
            db.Organisations.Add(new Organisation { Id = Guid.Parse("0a1d5e00-0000-4000-8000-000000000001"), Code = "us-ncp", Name = "US NCP", Party = "US", Kind = Organisation.ContactPoint });
            await db.SaveChangesAsync();
        }
        var roleManager = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        foreach (var role in roles.Where(r => !roleManager.RoleExistsAsync(r).GetAwaiter().GetResult()))
            await roleManager.CreateAsync(new IdentityRole<Guid>(role));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = new User { UserName = $"person-{Guid.NewGuid():N}"[..20], Party = "US", OrganisationId = Guid.Parse("0a1d5e00-0000-4000-8000-000000000001") };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRolesAsync(user, roles)).Succeeded);
        return user.UserName;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<bool> GetsTokenAsync(HttpClient browser) => (await browser.GetAsync("/connect/session-token")).Headers.Contains("X-Access-Token");

    /// <summary>Signs in and enrols; returns the shared key and the recovery codes.</summary>
    private async Task<(string Key, List<string> RecoveryCodes)> EnrolledAsync(string userName)
    {
        var browser = Browser();
        (await browser.PostAsJsonAsync("/connect/login", new { userName, password = Password })).EnsureSuccessStatusCode();
        var key = (await Json(await browser.PostAsync("/connect/second-factor/enrol", null))).GetProperty("sharedKey").GetString()!;
        var confirmed = await browser.PostAsJsonAsync("/connect/second-factor/confirm", new { code = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        return (key, (await Json(confirmed)).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList());
    }

    [Fact]
    public async Task An_officer_must_enrol_before_the_session_is_worth_anything_then_signs_in_with_a_code()
    {
        var officer = await PersonAsync("ncp-officer");
        var browser = Browser();

        var login = await Json(await browser.PostAsJsonAsync("/connect/login", new { userName = officer, password = Password }));
        Assert.True(login.GetProperty("secondFactorEnrolmentRequired").GetBoolean());
        Assert.False(await GetsTokenAsync(browser));

        var enrol = await Json(await browser.PostAsync("/connect/second-factor/enrol", null));
        var key = enrol.GetProperty("sharedKey").GetString()!;
        Assert.StartsWith("otpauth://totp/IncidentExchange:", enrol.GetProperty("otpauthUri").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsJsonAsync("/connect/second-factor/confirm", new { code = "000000" == Totp.Code(key, DateTimeOffset.UtcNow) ? "111111" : "000000" })).StatusCode);
        Assert.False(await GetsTokenAsync(browser));

        var confirmed = await browser.PostAsJsonAsync("/connect/second-factor/confirm", new { code = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(10, (await Json(confirmed)).GetProperty("recoveryCodes").GetArrayLength());
        Assert.True(await GetsTokenAsync(browser));
        Assert.Equal(HttpStatusCode.Conflict, (await browser.PostAsync("/connect/second-factor/enrol", null)).StatusCode);

        var next = Browser();
        var password = await Json(await next.PostAsJsonAsync("/connect/login", new { userName = officer, password = Password }));
        Assert.True(password.GetProperty("secondFactorRequired").GetBoolean());
        Assert.False(await GetsTokenAsync(next));
        // The next step's code: the one that confirmed enrolment works once.
        var signedIn = await next.PostAsJsonAsync("/connect/login/second-factor", new { code = Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)) });
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.False((await Json(signedIn)).GetProperty("secondFactorEnrolmentRequired").GetBoolean());
        Assert.True(await GetsTokenAsync(next));
    }

    [Fact]
    public async Task A_recovery_code_works_once()
    {
        var officer = await PersonAsync("ncp-duty");
        var (_, codes) = await EnrolledAsync(officer);

        async Task<HttpStatusCode> SignInWith(string recoveryCode)
        {
            var browser = Browser();
            (await browser.PostAsJsonAsync("/connect/login", new { userName = officer, password = Password })).EnsureSuccessStatusCode();
            return (await browser.PostAsJsonAsync("/connect/login/second-factor", new { recoveryCode })).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await SignInWith(codes[0]));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInWith(codes[0]));
        Assert.Equal(HttpStatusCode.OK, await SignInWith(codes[1]));
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_account_even_against_the_right_code()
    {
        var officer = await PersonAsync("ncp-officer");
        var (key, _) = await EnrolledAsync(officer);
        var browser = Browser();
        (await browser.PostAsJsonAsync("/connect/login", new { userName = officer, password = Password })).EnsureSuccessStatusCode();
        var wrong = Totp.Code(key, DateTimeOffset.UtcNow) == "123456" ? "654321" : "123456";

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/connect/login/second-factor", new { code = wrong })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/connect/login/second-factor", new { code = Totp.Code(key, DateTimeOffset.UtcNow) })).StatusCode);
        Assert.False(await GetsTokenAsync(browser));
    }

    [Fact]
    public async Task A_reporter_needs_no_second_factor_and_second_factor_sign_in_needs_a_password_first()
    {
        var reporter = await PersonAsync("reporter");
        var browser = Browser();
        var login = await Json(await browser.PostAsJsonAsync("/connect/login", new { userName = reporter, password = Password }));
        Assert.False(login.GetProperty("secondFactorEnrolmentRequired").GetBoolean());
        Assert.True(await GetsTokenAsync(browser));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser().PostAsJsonAsync("/connect/login/second-factor", new { code = "123456" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser().PostAsync("/connect/second-factor/enrol", null)).StatusCode);
    }

    [Fact]
    public async Task A_code_works_once_even_within_its_window()
    {
        var officer = await PersonAsync("ncp-officer");
        var (key, _) = await EnrolledAsync(officer);
        var code = Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30));

        async Task<HttpStatusCode> SignInWith(string code)
        {
            var browser = Browser();
            (await browser.PostAsJsonAsync("/connect/login", new { userName = officer, password = Password })).EnsureSuccessStatusCode();
            return (await browser.PostAsJsonAsync("/connect/login/second-factor", new { code })).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await SignInWith(code));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInWith(code));
        // An earlier step's code, though still inside the window, comes before the one used: refused too.
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInWith(Totp.Code(key, DateTimeOffset.UtcNow)));
        Assert.Equal(HttpStatusCode.OK, await SignInWith(Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(60))));
    }
}
