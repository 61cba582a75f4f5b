using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentExchange.EndToEnd.Tests;

/// <summary>Cross-site request forgery at the edge: a signed-in officer's browser, driven from another site.</summary>
public sealed class CrossSiteTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task A_state_changing_request_with_the_session_from_another_site_is_refused_by_the_edge()
    {
        _ = platform; // the fixture waits for the platform; this test signs in as a browser does, without its helpers
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = Platform.Edge };
        (await browser.PostAsJsonAsync("/connect/login", new { userName = "us-officer", password = "Demo-US-officer-2026!" })).EnsureSuccessStatusCode();
        var missing = $"/api/v1/reports/{Guid.NewGuid()}/close";

        var forged = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, missing) { Headers = { { "Origin", "http://attacker.example" } } });
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Cross-site request refused", (await forged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());

        // The same request from the platform's own page reaches the service, which answers for itself.
        var own = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, missing) { Headers = { { "Origin", Platform.Edge.GetLeftPart(UriPartial.Authority) } } });
        Assert.Equal(HttpStatusCode.NotFound, own.StatusCode);
    }

    [Fact]
    public async Task A_request_that_brings_a_token_is_served_by_the_token_and_never_by_the_session_beside_it()
    {
        // No browser adds an Authorization header across sites on its own: the edge passes the token, unchecked by
        // the session, and the service decides by the token alone.
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = Platform.Edge };
        (await browser.PostAsJsonAsync("/connect/login", new { userName = "us-officer", password = "Demo-US-officer-2026!" })).EnsureSuccessStatusCode();
        var missing = $"/api/v1/reports/{Guid.NewGuid()}/close";

        var withToken = new HttpRequestMessage(HttpMethod.Post, missing) { Headers = { { "Origin", "http://attacker.example" } } };
        withToken.Headers.Authorization = new("Bearer", await platform.TokenAsync("us-ncp-demo"));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.SendAsync(withToken)).StatusCode);

        var withBadToken = new HttpRequestMessage(HttpMethod.Post, missing) { Headers = { { "Origin", Platform.Edge.GetLeftPart(UriPartial.Authority) } } };
        withBadToken.Headers.Authorization = new("Bearer", "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(withBadToken)).StatusCode);
    }
}
