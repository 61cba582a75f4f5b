using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using IncidentExchange.Testing;

namespace IncidentExchange.EndToEnd.Tests;

/// <summary>Reports become incidents on the real platform: filed through the edge, grouped by Triage, read back through the edge.</summary>
public sealed class IncidentsTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task Two_reports_sharing_an_indicator_are_one_incident_of_their_party_only()
    {
        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        var officer = platform.ClientWithToken(await platform.TokenAsync("us-ncp-demo"));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Guid.NewGuid().ToByteArray()));
        object Report(string title) => new
        {
            title,
            summary = "A weights shard with this hash is offered on a forum.",
            language = "en", kind = "incident", category = "weights-leak",
            timeline = new { occurredAt = DateTimeOffset.UtcNow.AddHours(-1) },
            model = new { name = "Frontier-1", developer = "Example US Frontier Lab" },
            indicators = new[] { new { type = "weights", sha256 = hash } },
            tlp = "AMBER",
        };

        var ids = new List<Guid>();
        foreach (var title in new[] { $"E2E incident A {hash[..8]}", $"E2E incident B {hash[..8]}" })
        {
            var filed = await lab.PostAsJsonAsync("/api/v1/reports", Report(title));
            Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
            ids.Add((await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        // Triage takes the two in either order; wait until both are linked, then they must share one incident.
        async Task<Guid?> IncidentOf(Guid report)
        {
            var found = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?reportId={report}");
            return found.GetProperty("incidents").GetArrayLength() == 0 ? null : found.GetProperty("incidents")[0].GetProperty("id").GetGuid();
        }
        Guid? first = null, second = null;
        await Eventually.WaitUntilAsync(async () => (first = await IncidentOf(ids[0])) is not null && (second = await IncidentOf(ids[1])) is not null,
            "triage linked both reports");
        Assert.Equal(first, second);
        var incidentId = first!.Value;

        var incident = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidentId}");
        var linked = incident.GetProperty("reports").EnumerateArray().ToDictionary(r => r.GetProperty("reportId").GetGuid());
        Assert.Contains(ids[0], linked.Keys);
        // Triage may take either report first; the second is linked by the hash they share.
        Assert.Contains("shares an indicator hash", ids.Select(id => linked[id].GetProperty("reason").GetString()));

        var cn = platform.ClientWithToken(await platform.TokenAsync("cn-ncp-demo"));
        Assert.Equal(HttpStatusCode.NotFound, (await cn.GetAsync($"/api/v1/incidents/{incidentId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lab.GetAsync($"/api/v1/incidents/{incidentId}")).StatusCode);
    }
}
