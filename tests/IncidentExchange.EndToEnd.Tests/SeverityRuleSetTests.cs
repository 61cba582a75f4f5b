using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentExchange.EndToEnd.Tests;

/// <summary>The rule set in force, through the edge: both parties read the same one; a contact point may not propose.</summary>
public sealed class SeverityRuleSetTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task Both_parties_read_the_rule_set_in_force_and_contact_points_cannot_propose()
    {
        var us = platform.ClientWithToken(await platform.TokenAsync("us-ncp-demo"));
        var cn = platform.ClientWithToken(await platform.TokenAsync("cn-ncp-demo"));
        var usView = await us.GetFromJsonAsync<JsonElement>("/api/v1/severity/rule-sets");
        var cnView = await cn.GetFromJsonAsync<JsonElement>("/api/v1/severity/rule-sets");
        Assert.Equal(usView.GetProperty("inForce").GetString(), cnView.GetProperty("inForce").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await us.PostAsJsonAsync("/api/v1/severity/rule-sets", new { version = "x" })).StatusCode);
    }
}
