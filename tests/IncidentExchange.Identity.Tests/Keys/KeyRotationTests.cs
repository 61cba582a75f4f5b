using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Identity.Keys;
using IncidentExchange.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IncidentExchange.Identity.Tests.Keys;

/// <summary>The identity service in demo mode on a clock the test moves.</summary>
public sealed class RotatingIdentityFactory : IdentityFactory
{
    public ManualClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    public Task<string> AdminTokenAsync() => ClientTokenAsync("US", "admin");
}

public sealed class KeyRotationTests(RotatingIdentityFactory factory) : IClassFixture<RotatingIdentityFactory>
{
    private async Task<List<string>> PublishedKeyIdsAsync() =>
        (await factory.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/jwks.json")).GetProperty("keys").EnumerateArray()
        .Select(k => k.GetProperty("kid").GetString()!).ToList();

    private Task<HttpResponseMessage> RotateAsync(string token, bool compromised) =>
        factory.WithToken(token).PostAsJsonAsync("/connect/keys/rotate", new { compromised });

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
    public async Task The_schedule_rotates_a_key_once_it_is_old_enough()
    {
        var store = factory.Services.GetRequiredService<SigningKeyStore>();
        await factory.AdminTokenAsync(); // a key exists
        var rotateAfter = new KeyRotationOptions().RotateAfter;

        Assert.Null(await store.RotateAsync(compromised: false, CancellationToken.None, onlyIfOlderThan: rotateAfter));

        var later = rotateAfter + TimeSpan.FromDays(1);
        factory.Clock.Advance(later);
        try
        {
            var rotated = await store.RotateAsync(compromised: false, CancellationToken.None, onlyIfOlderThan: rotateAfter);
            Assert.NotNull(rotated);
            Assert.Null(await store.RotateAsync(compromised: false, CancellationToken.None, onlyIfOlderThan: rotateAfter)); // another replica on the same tick
            Assert.Equal(rotated, (await PublishedKeyIdsAsync())[0]);
        }
        finally
        {
            factory.Clock.Advance(-later);
        }
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

public sealed class SessionExpiryTests(RotatingIdentityFactory factory) : IClassFixture<RotatingIdentityFactory>
{
    private async Task<HttpClient> SignedInAsync()
    {
        var browser = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        (await browser.PostAsJsonAsync("/connect/login", new { userName = IdentityFactory.UsOfficer, password = IdentityFactory.UsOfficerPassword })).EnsureSuccessStatusCode();
        return browser;
    }

    private static async Task<bool> GetsTokenAsync(HttpClient browser) => (await browser.GetAsync("/connect/session-token")).Headers.Contains("X-Access-Token");

    private async Task WithClockAheadAsync(TimeSpan ahead, Func<Task> test)
    {
        factory.Clock.Advance(ahead);
        try
        {
            await test();
        }
        finally
        {
            factory.Clock.Advance(-ahead);
        }
    }

    [Fact]
    public async Task An_hour_without_a_request_ends_the_session()
    {
        var browser = await SignedInAsync();
        Assert.True(await GetsTokenAsync(browser));

        await WithClockAheadAsync(IdentityService.SessionIdleTimeout + TimeSpan.FromMinutes(1), async () => Assert.False(await GetsTokenAsync(browser)));
    }

    [Fact]
    public async Task A_busy_session_still_ends_twelve_hours_after_sign_in()
    {
        var browser = await SignedInAsync();
        var ahead = TimeSpan.Zero;
        try
        {
            // A request every 40 minutes keeps the session from idling out...
            while (ahead < IdentityService.SessionAbsoluteLifetime - TimeSpan.FromMinutes(40))
            {
                factory.Clock.Advance(TimeSpan.FromMinutes(40));
                ahead += TimeSpan.FromMinutes(40);
                Assert.True(await GetsTokenAsync(browser), $"still signed in {ahead} after sign-in");
            }
            // ...but not past its absolute lifetime.
            factory.Clock.Advance(TimeSpan.FromMinutes(41));
            ahead += TimeSpan.FromMinutes(41);
            Assert.False(await GetsTokenAsync(browser));
        }
        finally
        {
            factory.Clock.Advance(-ahead);
        }
    }
}
