using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Alerts.Tests.Stamps;

public sealed class StampsTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static readonly Guid CnDuty = Guid.NewGuid();
    private static readonly Guid CnOfficer = Guid.NewGuid();

    private ITestHarness Harness => factory.Services.GetRequiredService<ITestHarness>();

    private HttpClient Client(string party, Guid who, params string[] roles) => factory.ClientWithToken(TestTokens.Issue(party, who, roles));

    private async Task<Guid> AlertIdAsync(Guid reportId, string party, string kind)
    {
        var sql = $"SELECT id FROM alerts WHERE report_id = '{reportId}' AND party = '{party}' AND kind = '{kind}'";
        await Eventually.WaitUntilAsync(async () => await factory.Database.ScalarAsync<long>(sql.Replace("SELECT id", "SELECT count(*)")) == 1, $"the {kind} alert was raised");
        return await factory.Database.ScalarAsync<Guid>(sql);
    }

    /// <summary>A US report assessed at level 4 (US alert) and released to CN (CN alert); returns the report id.</summary>
    private async Task<Guid> ReleasedAsync()
    {
        var reportId = Guid.NewGuid();
        await Harness.Bus.Publish(new SeverityAssessed(reportId, 1, "US", 4, "High", "高", "1", "weights-leak", "Weights offered", false, DateTimeOffset.UtcNow));
        await AlertIdAsync(reportId, "US", "report");
        await Harness.Bus.Publish(new ReportReleased(Guid.NewGuid(), reportId, 1, "US", "CN", "AMBER", "Weights offered", "weights-leak", 4, "High", "高",
            false, DateTimeOffset.UtcNow, "us-officer-1"));
        await AlertIdAsync(reportId, "CN", "report-released");
        return reportId;
    }

    private static JsonElement Stamp(JsonElement stamps, string name) => stamps.GetProperty(name);

    [Fact]
    public async Task Receiving_duty_officer_acknowledges_once_and_the_sending_party_sees_the_stamps_of_what_it_sent()
    {
        var reportId = await ReleasedAsync();
        var alertId = await AlertIdAsync(reportId, "CN", "report-released");

        var alert = await Client("CN", CnDuty, "ncp-duty").GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{alertId}");
        var stamps = alert.GetProperty("stamps");
        var delivered = Stamp(stamps, "delivered").GetProperty("at").GetDateTimeOffset();
        Assert.Equal(delivered.AddMinutes(30), Stamp(stamps, "acknowledged").GetProperty("dueAt").GetDateTimeOffset()); // level 4
        Assert.Equal(delivered.AddMinutes(480), Stamp(stamps, "responded").GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, Stamp(stamps, "acknowledged").GetProperty("at").ValueKind);

        // The other party cannot stamp it, nor learn it exists; nor can a lab.
        Assert.Equal(HttpStatusCode.NotFound, (await Client("US", Guid.NewGuid(), "ncp-duty").PostAsync($"/api/v1/alerts/{alertId}/ack", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client("CN", Guid.NewGuid(), "reporter").PostAsync($"/api/v1/alerts/{alertId}/ack", null)).StatusCode);

        var first = await Client("CN", CnDuty, "ncp-duty").PostAsync($"/api/v1/alerts/{alertId}/ack", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var second = await Client("CN", CnOfficer, "ncp-officer").PostAsync($"/api/v1/alerts/{alertId}/ack", null);
        var acknowledged = Stamp(await second.Content.ReadFromJsonAsync<JsonElement>(), "acknowledged");
        Assert.Equal($"test-cn-{CnDuty:N}", acknowledged.GetProperty("by").GetString()); // the first stands

        // The US sees the stamps of its notification to CN — and only of what it sent.
        var sent = await Client("US", Guid.NewGuid(), "ncp-officer").GetFromJsonAsync<JsonElement>($"/api/v1/alerts/sent?reportId={reportId}");
        var cnAlert = sent.GetProperty("alerts").EnumerateArray().Single();
        Assert.Equal(("CN", "report-released"), (cnAlert.GetProperty("party").GetString(), cnAlert.GetProperty("kind").GetString()));
        Assert.Equal($"test-cn-{CnDuty:N}", Stamp(cnAlert.GetProperty("stamps"), "acknowledged").GetProperty("by").GetString());
        var cnSent = await Client("CN", CnDuty, "ncp-duty").GetFromJsonAsync<JsonElement>($"/api/v1/alerts/sent?reportId={reportId}");
        Assert.Empty(cnSent.GetProperty("alerts").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await Client("US", Guid.NewGuid(), "ncp-officer").GetAsync("/api/v1/alerts/sent")).StatusCode);
    }

    [Fact]
    public async Task The_first_substantive_reply_stamps_responded_a_release_a_contact_points_message_or_a_written_response()
    {
        var reportId = await ReleasedAsync();
        var usAlert = await AlertIdAsync(reportId, "US", "report");
        var cnAlert = await AlertIdAsync(reportId, "CN", "report-released");

        // The US release answered the US lab's report; a response also acknowledges.
        var us = (await Client("US", Guid.NewGuid(), "ncp-duty").GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{usAlert}")).GetProperty("stamps");
        Assert.Equal(("release", "us-officer-1"), (Stamp(us, "responded").GetProperty("kind").GetString(), Stamp(us, "responded").GetProperty("by").GetString()));
        Assert.Equal("us-officer-1", Stamp(us, "acknowledged").GetProperty("by").GetString());

        // A lab's message is not the contact point's reply; a CN contact point's question is.
        var consumed = ConsumeCounter<ThreadMessagePosted>.Attach(Harness.Bus, m => m.ReportId == reportId);
        await Harness.Bus.Publish(new ThreadMessagePosted(Guid.NewGuid(), reportId, Guid.NewGuid(), "CN", "cn-lab", false, "zh-Hans", "补充", DateTimeOffset.UtcNow));
        await Eventually.WaitUntilAsync(() => consumed.Count == 1, "the lab's message was consumed");
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE id = '{cnAlert}' AND responded_at IS NOT NULL"));
        await Harness.Bus.Publish(new ThreadMessagePosted(Guid.NewGuid(), reportId, Guid.NewGuid(), "CN", "cn-officer", true, "zh-Hans", "哪些平台受影响？", DateTimeOffset.UtcNow));
        await Eventually.WaitUntilAsync(async () => await factory.Database.ScalarAsync<string>(
            $"SELECT coalesce(response_kind || ':' || responded_by, '') FROM alerts WHERE id = '{cnAlert}'") == "message:cn-officer", "the CN alert was stamped responded");

        // A written response to an alert that had none; bad ones change nothing.
        var other = await ReleasedAsync();
        var otherCn = await AlertIdAsync(other, "CN", "report-released");
        var blank = await Client("CN", CnOfficer, "ncp-officer").PostAsJsonAsync($"/api/v1/alerts/{otherCn}/respond", new { text = " " });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        var tooLong = await Client("CN", CnOfficer, "ncp-officer").PostAsJsonAsync($"/api/v1/alerts/{otherCn}/respond", new { text = new string('x', 4001) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE id = '{otherCn}' AND (responded_at IS NOT NULL OR acknowledged_at IS NOT NULL)"));
        var written = await Client("CN", CnOfficer, "ncp-officer").PostAsJsonAsync($"/api/v1/alerts/{otherCn}/respond", new { text = "已收到，正在核查。" });
        var responded = Stamp(await written.Content.ReadFromJsonAsync<JsonElement>(), "responded");
        Assert.Equal(("written", "已收到，正在核查。"), (responded.GetProperty("kind").GetString(), responded.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Limits_come_from_the_rule_set_in_force_as_the_assessment_carries_them_and_the_counterpart_gets_the_same()
    {
        var reportId = Guid.NewGuid();
        await Harness.Bus.Publish(new SeverityAssessed(reportId, 1, "US", 4, "High", "高", "2", "weights-leak", "Weights", false, DateTimeOffset.UtcNow,
            AcknowledgeWithinMinutes: 7, RespondWithinMinutes: null));
        var usAlert = await AlertIdAsync(reportId, "US", "report");
        await Harness.Bus.Publish(new ReportReleased(Guid.NewGuid(), reportId, 1, "US", "CN", "AMBER", "Weights", "weights-leak", 4, "High", "高",
            false, DateTimeOffset.UtcNow, "us-officer-1"));
        var cnAlert = await AlertIdAsync(reportId, "CN", "report-released");

        foreach (var (party, id) in new[] { ("US", usAlert), ("CN", cnAlert) })
        {
            var stamps = (await Client(party, Guid.NewGuid(), "ncp-duty").GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{id}")).GetProperty("stamps");
            Assert.Equal("2", stamps.GetProperty("ruleSetVersion").GetString());
            Assert.Equal(Stamp(stamps, "delivered").GetProperty("at").GetDateTimeOffset().AddMinutes(7), Stamp(stamps, "acknowledged").GetProperty("dueAt").GetDateTimeOffset());
            if (party == "CN")
                Assert.Equal(JsonValueKind.Null, Stamp(stamps, "responded").GetProperty("dueAt").ValueKind);
        }
    }

    [Fact]
    public async Task A_serious_report_carries_the_home_partys_deadline_to_notify_the_counterpart_until_it_is_released()
    {
        var reportId = Guid.NewGuid();
        await Harness.Bus.Publish(new SeverityAssessed(reportId, 1, "US", 5, "Critical", "危急", "1", "weights-leak", "Weights", false, DateTimeOffset.UtcNow,
            AcknowledgeWithinMinutes: 15, RespondWithinMinutes: 120, NotifyCounterpartWithinHours: 4));
        var usAlert = await AlertIdAsync(reportId, "US", "report");
        var stamps = (await Client("US", Guid.NewGuid(), "ncp-duty").GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{usAlert}")).GetProperty("stamps");
        var notice = Stamp(stamps, "counterpartNotified");
        Assert.Equal(Stamp(stamps, "delivered").GetProperty("at").GetDateTimeOffset().AddHours(4), notice.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, notice.GetProperty("at").ValueKind);

        await Harness.Bus.Publish(new ReportReleased(Guid.NewGuid(), reportId, 1, "US", "CN", "AMBER", "Weights", "weights-leak", 5, "Critical", "危急",
            false, DateTimeOffset.UtcNow, "us-officer-2"));
        var cnAlert = await AlertIdAsync(reportId, "CN", "report-released");
        stamps = (await Client("US", Guid.NewGuid(), "ncp-duty").GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{usAlert}")).GetProperty("stamps");
        Assert.Equal("us-officer-2", Stamp(stamps, "counterpartNotified").GetProperty("by").GetString());
        // The counterpart's own alert has no such obligation.
        var cn = (await Client("CN", Guid.NewGuid(), "ncp-duty").GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{cnAlert}")).GetProperty("stamps");
        Assert.Equal(JsonValueKind.Null, cn.GetProperty("counterpartNotified").ValueKind);
    }
}
