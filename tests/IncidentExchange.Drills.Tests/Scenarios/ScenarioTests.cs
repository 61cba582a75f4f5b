using System.Text.Json.Nodes;
using IncidentExchange.Drills.Data;
using IncidentExchange.Drills.Running;
using IncidentExchange.Drills.Scenarios;
using IncidentExchange.Testing;
using NJsonSchema;

namespace IncidentExchange.Drills.Tests.Scenarios;

public sealed class ScenarioTests
{
    [Fact]
    public async Task The_protocol_ships_three_scenarios_whose_injects_are_valid_exercise_reports()
    {
        var schema = await JsonSchema.FromFileAsync(Repository.PathOf("protocols/schemas/incident-report.v1.schema.json"));
        var library = ScenarioLibrary.Load();
        Assert.Equal(["critical-infrastructure-campaign", "jailbreak-spread", "leaked-weights"], library.All.Select(s => s.Id).Order());
        foreach (var scenario in library.All)
        {
            Assert.Equal(["CN", "US"], scenario.Parties);
            Assert.True(scenario.Injects.Count >= 3, scenario.Id);
            foreach (var inject in scenario.Injects)
            {
                var template = inject.Report.DeepClone().AsObject();
                template["occurredMinutesBefore"] = inject.OccurredMinutesBefore;
                var body = DrillRunner.RequestBody(new Inject
                {
                    Party = inject.Party, Lab = inject.Lab, Title = "t", Template = template.ToJsonString(), Expectations = "[]",
                }, DateTimeOffset.UtcNow);
                Assert.Empty(schema.Validate(body));
                Assert.True(JsonNode.Parse(body)!["exercise"]!.GetValue<bool>());
            }
        }
    }

    [Theory]
    [InlineData("id: x\ntitle: {en: a, zh-Hans: b}\ndescription: d\ninjects: []", "injects")]
    [InlineData("id: Bad Id\ntitle: {en: a, zh-Hans: b}\ndescription: d\ninjects: [{offsetMinutes: 0, party: US, lab: l, report: {title: t}}]", "id")]
    [InlineData("id: x\ntitle: {en: a, zh-Hans: b}\ndescription: d\ninjects: [{offsetMinutes: 5, party: US, lab: l, report: {title: t}}, {offsetMinutes: 1, party: US, lab: l, report: {title: t}}]", "offsetMinutes")]
    [InlineData("id: x\ntitle: {en: a, zh-Hans: b}\ndescription: d\ninjects: [{offsetMinutes: 0, party: US, lab: l, report: {title: t, exercise: false}}]", "exercise")]
    [InlineData("id: x\ntitle: {en: a, zh-Hans: b}\ndescription: d\ninjects: [{offsetMinutes: 0, party: US, lab: l, report: {title: t}, expect: [{party: everyone, action: acknowledge, withinMinutes: 5}]}]", "expect")]
    [InlineData("id: [unclosed", "Not a scenario")]
    public void A_bad_scenario_is_refused_with_the_reason(string yaml, string reason)
    {
        Assert.Null(Scenario.Parse(yaml, out var errors));
        Assert.Contains(errors, e => e.Contains(reason));
    }
}
