using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Identity.Tests.Keys;

namespace IncidentExchange.Identity.Tests.People;

/// <summary>An invitation works until its expiry on the service's clock, and not after.</summary>
public sealed class InvitationExpiryTests(RotatingIdentityFactory factory) : IClassFixture<RotatingIdentityFactory>
{
    private async Task<string> InviteAsync(HttpClient admin, int hours)
    {
        var invited = await admin.PostAsJsonAsync("/connect/invitations",
            new { organisationId = IdentityFactory.UsContactPoint, roles = new[] { "ncp-duty" }, expiresInHours = hours });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        return (await invited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    private Task<HttpResponseMessage> AcceptAsync(string code) =>
        factory.CreateClient().PostAsJsonAsync("/connect/invitations/accept",
            new { code, userName = $"duty-{Guid.NewGuid():N}"[..20], password = "A-long-enough-password-2026" });

    [Fact]
    public async Task An_invitation_past_its_hours_is_refused_like_an_unknown_one()
    {
        var admin = factory.WithToken(await factory.AdminTokenAsync());
        var oneHour = await InviteAsync(admin, 1);
        var twoHours = await InviteAsync(admin, 2);

        factory.Clock.Advance(TimeSpan.FromMinutes(61));
        var expired = await AcceptAsync(oneHour);
        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Contains("unknown, used or expired", await expired.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, (await AcceptAsync(twoHours)).StatusCode);

        var listed = await admin.GetFromJsonAsync<JsonElement>("/connect/invitations");
        var states = listed.GetProperty("invitations").EnumerateArray().ToList();
        Assert.Contains(states, i => i.GetProperty("expiresAt").GetDateTimeOffset() < factory.Clock.GetUtcNow() && i.GetProperty("acceptedAt").ValueKind == JsonValueKind.Null);
    }
}
