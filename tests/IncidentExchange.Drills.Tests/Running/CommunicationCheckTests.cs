using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Contracts.Alerts;
using IncidentExchange.Contracts.Drills;
using IncidentExchange.Drills.Data;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Drills.Tests.Running;

public sealed class CommunicationCheckTests(DrillsFactory factory) : IClassFixture<DrillsFactory>
{
    private ITestHarness Harness => factory.Services.GetRequiredService<ITestHarness>();

    private async Task<Guid> CheckAsync(params string[] parties)
    {
        var response = await factory.As("US", "coordinator").PostAsJsonAsync("/api/v1/drills",
            new { communicationCheck = new { parties, acknowledgeWithinMinutes = 10 } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_check_goes_to_each_partys_duty_group_and_measures_who_acknowledged_within_the_limit()
    {
        var drillId = await CheckAsync("US", "CN");
        await Eventually.WaitUntilAsync(() => Harness.Published.Select<CommunicationCheckSent>().Count(m => m.Context.Message.DrillId == drillId) == 2,
            "a check was sent to each party");
        var checks = Harness.Published.Select<CommunicationCheckSent>().Where(m => m.Context.Message.DrillId == drillId).Select(m => m.Context.Message).ToList();
        Assert.Equal(["CN", "US"], checks.Select(c => c.Party).Order());
        Assert.All(checks, c => Assert.Equal(10, c.AcknowledgeWithinMinutes));

        var us = checks.Single(c => c.Party == "US");
        await Harness.Bus.Publish(new ExerciseAlertStamped(Guid.NewGuid(), "US", "communication-check", us.CheckId, 0, "delivered", us.SentAt.AddSeconds(0.05), null));
        await Harness.Bus.Publish(new ExerciseAlertStamped(Guid.NewGuid(), "US", "communication-check", us.CheckId, 0, "acknowledged", us.SentAt.AddMinutes(3), "us-duty-1"));
        await Eventually.WaitUntilAsync(async () => await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM observations WHERE subject_id = '{us.CheckId}'") == 2,
            "the US stamps were recorded");

        factory.Advance(TimeSpan.FromMinutes(10).Add(TimeSpan.FromSeconds(1)));
        JsonElement drill = default;
        await Eventually.WaitUntilAsync(async () =>
        {
            drill = await factory.As("US", "coordinator").GetFromJsonAsync<JsonElement>($"/api/v1/drills/{drillId}");
            return drill.GetProperty("status").GetString() == "finished";
        }, "the check finished when its limit passed");
        var byParty = drill.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("party").GetString()!);
        Assert.Equal("met", byParty["US"].GetProperty("expectation").GetProperty("outcome").GetString());
        Assert.Equal(180, byParty["US"].GetProperty("expectation").GetProperty("seconds").GetDouble());
        Assert.Equal("us-duty-1", byParty["US"].GetProperty("measures")[1].GetProperty("by").GetString());
        Assert.Equal("missed", byParty["CN"].GetProperty("expectation").GetProperty("outcome").GetString());
        Assert.True(drill.GetProperty("exercise").GetBoolean());
        Assert.Equal(100, drill.GetProperty("scores").GetProperty("US").GetProperty("score").GetInt32());
        Assert.Equal(0, drill.GetProperty("scores").GetProperty("CN").GetProperty("score").GetInt32());
    }

    [Fact]
    public async Task Only_coordinators_run_drills_contact_points_read_their_own_and_another_party_gets_nothing()
    {
        var usOnly = await CheckAsync("US");

        Assert.Equal(HttpStatusCode.Forbidden, (await factory.As("US", "ncp-officer").PostAsJsonAsync("/api/v1/drills",
            new { communicationCheck = new { parties = new[] { "US" }, acknowledgeWithinMinutes = 10 } })).StatusCode);
        foreach (var role in new[] { "reporter", "ncp-duty", "auditor", "admin" })
            Assert.Equal(HttpStatusCode.Forbidden, (await factory.As("US", role).GetAsync($"/api/v1/drills/{usOnly}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWithToken(null).GetAsync($"/api/v1/drills/{usOnly}")).StatusCode);

        // CN takes no part in a US-only check: neither its coordinators nor its officers learn of it.
        foreach (var cn in new[] { factory.As("CN", "coordinator"), factory.As("CN", "ncp-officer") })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await cn.GetAsync($"/api/v1/drills/{usOnly}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await cn.GetAsync($"/api/v1/drills/{usOnly}/report.csv")).StatusCode);
            Assert.DoesNotContain(usOnly.ToString(), await cn.GetStringAsync("/api/v1/drills"));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await factory.As("CN", "coordinator").PostAsync($"/api/v1/drills/{usOnly}/stop", null)).StatusCode);

        // In a joint check CN's coordinator reads it but does not run a drill the US created; the US officer reads it, cannot stop it.
        var joint = await CheckAsync("US", "CN");
        Assert.Equal(HttpStatusCode.OK, (await factory.As("CN", "coordinator").GetAsync($"/api/v1/drills/{joint}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.As("CN", "coordinator").PostAsync($"/api/v1/drills/{joint}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.As("US", "ncp-officer").PostAsync($"/api/v1/drills/{joint}/stop", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.As("US", "ncp-officer").GetAsync("/api/v1/drills/trend?party=CN")).StatusCode);

        var stopped = await factory.As("US", "coordinator").PostAsync($"/api/v1/drills/{joint}/stop", null);
        Assert.Equal("stopped", (await stopped.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var again = await factory.As("US", "coordinator").PostAsync($"/api/v1/drills/{joint}/resume", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_stop_stands_when_the_runner_saves_a_drill_it_read_before_the_stop()
    {
        // CI caught the runner starting a drill it had read as scheduled just after a coordinator stopped it.
        var drillId = await CheckAsync("US");
        await using var scope = factory.Services.CreateAsyncScope();
        var runnersView = scope.ServiceProvider.GetRequiredService<DrillsDb>();
        var stale = await runnersView.Drills.SingleAsync(d => d.Id == drillId);

        var stopped = await factory.As("US", "coordinator").PostAsync($"/api/v1/drills/{drillId}/stop", null);
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        stale.Status = Drill.Finished; // whatever the runner had read (scheduled or running), it now writes a change
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => runnersView.SaveChangesAsync());

        var drill = await factory.As("US", "coordinator").GetFromJsonAsync<JsonElement>($"/api/v1/drills/{drillId}");
        Assert.Equal("stopped", drill.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{"scenario":"no-such-scenario"}""", "scenario")]
    [InlineData("""{"scenario":"leaked-weights","communicationCheck":{"parties":["US"],"acknowledgeWithinMinutes":5}}""", "scenario")]
    [InlineData("""{}""", "scenario")]
    [InlineData("""{"communicationCheck":{"parties":["US","US"],"acknowledgeWithinMinutes":5}}""", "communicationCheck.parties")]
    [InlineData("""{"communicationCheck":{"parties":["FR"],"acknowledgeWithinMinutes":5}}""", "communicationCheck.parties")]
    [InlineData("""{"communicationCheck":{"parties":["US"],"acknowledgeWithinMinutes":0}}""", "communicationCheck.acknowledgeWithinMinutes")]
    [InlineData("""{"scenario":"leaked-weights","startAt":"2001-01-01T00:00:00Z"}""", "startAt")]
    [InlineData("""{"scenario":"leaked-weights","name":"<script>alert(1)</script>' OR 1=1; --                                                                                                                                                                                             "}""", "name")]
    public async Task A_bad_request_gets_a_problem_naming_the_field_and_creates_nothing(string body, string field)
    {
        var before = await factory.Database.ScalarAsync<long>("SELECT count(*) FROM drills");
        var response = await factory.As("US", "coordinator").PostAsync("/api/v1/drills", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM drills"));
    }

    [Fact]
    public async Task Malformed_JSON_is_a_problem_not_a_stack_trace()
    {
        var response = await factory.As("US", "coordinator").PostAsync("/api/v1/drills", new StringContent("{\"scenario\":", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync());
    }
}
