using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.Contracts.Triage;
using IncidentExchange.Severity.Rules;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Severity.Tests.Approval;

public sealed class RuleSetApprovalTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private HttpClient Admin(string party) => factory.ClientWithToken(TestTokens.Issue(party, Guid.NewGuid(), "admin"));

    /// <summary>The protocol's rule set with another version and jailbreaks spreading raised to level 4.</summary>
    private static string Version2()
    {
        var document = JsonNode.Parse(RuleSet.ProtocolDocument())!.AsObject();
        document["version"] = "2";
        document["baseLevelByCategory"]!["jailbreak-spread"] = 4;
        document["escalation"] = new JsonArray(new JsonObject { ["afterMinutes"] = 0, ["role"] = "ncp-officer" });
        return document.ToJsonString();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Triages a jailbreak report and returns the assessment Severity published.</summary>
    private async Task<SeverityAssessed> AssessJailbreakAsync()
    {
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var id = Guid.NewGuid();
        await harness.Bus.Publish(new ReportTriaged(id, 1, "US", "jailbreak-spread", null, [], "Jailbreak", false, DateTimeOffset.UtcNow));
        await Eventually.WaitUntilAsync(() => harness.Published.Select<SeverityAssessed>(m => m.Context.Message.ReportId == id).Any(), "the report was assessed");
        return harness.Published.Select<SeverityAssessed>(m => m.Context.Message.ReportId == id).Single().Context.Message;
    }

    private async Task<JsonElement> RuleSetAsync(string version) =>
        await factory.ClientWithToken(TestTokens.Issue("CN", Guid.NewGuid(), "ncp-officer")).GetFromJsonAsync<JsonElement>($"/api/v1/severity/rule-sets/{version}");

    [Fact]
    public async Task A_new_rule_set_takes_effect_only_when_both_parties_admins_have_approved_it()
    {
        var list = await Admin("US").GetFromJsonAsync<JsonElement>("/api/v1/severity/rule-sets");
        Assert.Equal("1", list.GetProperty("inForce").GetString());
        Assert.Equal(["CN", "US"], list.GetProperty("ruleSets")[0].GetProperty("approvals").EnumerateArray().Select(a => a.GetProperty("party").GetString()).Order());
        var before = await AssessJailbreakAsync();
        Assert.Equal((2, "1", 480, 4320), (before.Level, before.RuleSetVersion, before.AcknowledgeWithinMinutes, before.RespondWithinMinutes));

        var proposed = await Admin("US").PostAsync("/api/v1/severity/rule-sets", Json(Version2()));
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        Assert.Equal("proposed", (await RuleSetAsync("2")).GetProperty("status").GetString());

        // One party's approval is not enough: the old version stays in force.
        Assert.Equal(HttpStatusCode.OK, (await Admin("US").PostAsync("/api/v1/severity/rule-sets/2/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Admin("US").PostAsync("/api/v1/severity/rule-sets/2/approve", null)).StatusCode);
        Assert.Equal("proposed", (await RuleSetAsync("2")).GetProperty("status").GetString());
        Assert.Equal(("1", 2), ((await AssessJailbreakAsync()).RuleSetVersion, (await AssessJailbreakAsync()).Level));

        // The other party's admin approves: in force from that moment, with who and when on record.
        var approved = await Admin("CN").PostAsync("/api/v1/severity/rule-sets/2/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var version2 = await RuleSetAsync("2");
        Assert.Equal("in-force", version2.GetProperty("status").GetString());
        Assert.Equal(["US", "CN"], version2.GetProperty("approvals").EnumerateArray().Select(a => a.GetProperty("party").GetString()));
        Assert.Equal("superseded", (await RuleSetAsync("1")).GetProperty("status").GetString());
        var after = await AssessJailbreakAsync();
        Assert.Equal((4, "2", 30, 480), (after.Level, after.RuleSetVersion, after.AcknowledgeWithinMinutes, after.RespondWithinMinutes));
        Assert.Equal([new EscalationStep(0, "ncp-officer")], after.Escalation!);
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM assessments WHERE report_id = '{after.ReportId}' AND rule_set_version = '2'"));
    }

    [Fact]
    public async Task Only_admins_propose_and_approve_and_a_bad_proposal_changes_nothing()
    {
        var officer = factory.ClientWithToken(TestTokens.Issue("US", Guid.NewGuid(), "ncp-officer"));
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsync("/api/v1/severity/rule-sets", Json(Version2().Replace("\"2\"", "\"9\"")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsync("/api/v1/severity/rule-sets/1/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.ClientWithToken(TestTokens.Issue("US", Guid.NewGuid(), "reporter")).GetAsync("/api/v1/severity/rule-sets")).StatusCode);

        var invalid = JsonNode.Parse(Version2())!.AsObject();
        invalid["version"] = "bad";
        invalid["levels"]!.AsArray().RemoveAt(4);
        invalid["escalation"]![0]!["role"] = "everyone";
        var refused = await Admin("US").PostAsync("/api/v1/severity/rule-sets", Json(invalid.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("document");
        Assert.Equal(2, errors.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin("US").PostAsync("/api/v1/severity/rule-sets", Json("not json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Admin("CN").PostAsync("/api/v1/severity/rule-sets", Json(RuleSet.ProtocolDocument()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin("CN").PostAsync("/api/v1/severity/rule-sets/none/approve", null)).StatusCode);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM rule_sets WHERE version IN ('bad', '9')"));
    }
}
