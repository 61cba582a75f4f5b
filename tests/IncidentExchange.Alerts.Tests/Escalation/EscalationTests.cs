using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Testing;

namespace IncidentExchange.Alerts.Tests.Escalation;

/// <summary>The escalation ladder on a clock the test moves, through a restart of the service, with e-mail to a real SMTP server.</summary>
public sealed class EscalationTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private readonly SmtpSink _sink = new();
    private TestDatabase? _database;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("alerts-escalation");

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    private Task<string> StepsAsync(Guid alertId) => _database!.ScalarAsync<string>(
        $"SELECT coalesce(string_agg(stamp || ':' || step || ':' || role || ':' || (notified_at IS NOT NULL), ',' ORDER BY stamp, step), '') FROM escalations WHERE alert_id = '{alertId}'");

    /// <summary>When the alert's next escalation step falls due, in whole minutes after delivery, or "none".</summary>
    private Task<string> NextStepAsync(Guid alertId) => _database!.ScalarAsync<string>(
        $"SELECT coalesce(round(extract(epoch FROM next_escalation_at - raised_at) / 60)::text, 'none') FROM alerts WHERE id = '{alertId}'");

    private Task WaitForMailsAsync(int count) =>
        Eventually.WaitUntilAsync(() => _sink.Received.Count >= count, $"{count} escalation e-mails arrived");

    [Fact]
    public async Task A_relay_that_offers_no_TLS_gets_no_mail_and_the_step_stays_unnotified_to_be_tried_again()
    {
        var host = await AlertsHost.StartAsync(_database!, _clock, _sink, smtpSecurity: "StartTls");
        var alertId = await host.AssessAsync(level: 5);

        host.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        await Eventually.WaitUntilAsync(async () => await StepsAsync(alertId) == "acknowledged:0:ncp-duty:false", "step 1 was taken");
        await Task.Delay(1000);

        Assert.Empty(_sink.Received);
        Assert.Empty(_sink.Logins); // the password never went over a connection without TLS
        Assert.Equal("acknowledged:0:ncp-duty:false", await StepsAsync(alertId));
        await host.StopAsync();
    }

    [Fact]
    public async Task An_unacknowledged_alert_climbs_the_ladder_on_time_and_a_restart_mid_clock_neither_loses_nor_repeats_a_step()
    {
        var first = await AlertsHost.StartAsync(_database!, _clock, _sink);
        var alertId = await first.AssessAsync(level: 5); // rule set: acknowledge within 15 min, respond within 120
        Assert.Equal("15", await NextStepAsync(alertId)); // ladder: duty at the limit, officers 15 min after, admins 60 min after

        first.Advance(TimeSpan.FromMinutes(14));
        await Task.Delay(700);
        Assert.Equal("", await StepsAsync(alertId));
        Assert.Empty(_sink.Received);

        first.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await WaitForMailsAsync(1);
        var duty = _sink.Received.Single();
        Assert.Equal(["duty@us.test"], duty.Recipients);
        Assert.Equal("IncidentExchange: level 5 alert #1 not acknowledged, step 1", duty.Subject);
        Assert.Equal((AlertsHost.RelayUser, AlertsHost.RelayPassword), _sink.Logins.First());
        await Eventually.WaitUntilAsync(async () => await StepsAsync(alertId) == "acknowledged:0:ncp-duty:true", "step 1 was recorded as notified");
        Assert.Equal("30", await NextStepAsync(alertId));

        // The service stops; while it is down the officers' step (15 min after the limit) comes due. A new process
        // finds the clock in the database and takes that step once — not the duty step again.
        await first.StopAsync();
        _clock.Advance(TimeSpan.FromMinutes(15));
        var second = await AlertsHost.StartAsync(_database!, _clock, _sink);
        await WaitForMailsAsync(2);
        Assert.Equal(["officer-1@us.test", "officer-2@us.test"], _sink.Received.Last().Recipients);
        await Eventually.WaitUntilAsync(async () => await StepsAsync(alertId) == "acknowledged:0:ncp-duty:true,acknowledged:1:ncp-officer:true",
            "step 2 was recorded once");

        // Acknowledged now: the admins' step (60 min after the limit) never comes.
        var ack = await second.ClientWithToken(TestTokens.Issue("US", Guid.NewGuid(), "ncp-duty")).PostAsync($"/api/v1/alerts/{alertId}/ack", null);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        second.Advance(TimeSpan.FromMinutes(61));
        await Task.Delay(700);
        Assert.Equal(2, _sink.Received.Count);

        // The response is still due (120 min after delivery, now passed): its own ladder starts with the duty officers.
        second.Advance(TimeSpan.FromMinutes(30));
        await WaitForMailsAsync(3);
        Assert.Equal("IncidentExchange: level 5 alert #1 not responded, step 1", _sink.Received.Last().Subject);
        await Eventually.WaitUntilAsync(async () => (await StepsAsync(alertId)).EndsWith("responded:0:ncp-duty:true"), "the response's first step was recorded");
        Assert.Equal(3, _sink.Received.Count);
        Assert.Equal("135", await NextStepAsync(alertId)); // the acknowledgement's admin step left with its clock

        var alert = await second.ClientWithToken(TestTokens.Issue("US", Guid.NewGuid(), "ncp-officer")).GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{alertId}");
        Assert.NotEqual(JsonValueKind.Null, alert.GetProperty("stamps").GetProperty("acknowledged").GetProperty("at").ValueKind);
        await second.StopAsync();
    }

    [Fact]
    public async Task An_alert_whose_ladder_is_done_is_no_longer_read_by_the_escalation_sweep()
    {
        var host = await AlertsHost.StartAsync(_database!, _clock, _sink);
        var alertId = await host.AssessAsync(level: 5);

        // Past the last step of both clocks (respond within 120 min, admins 60 min after): every step is taken in one sweep.
        host.Advance(TimeSpan.FromMinutes(181));
        await WaitForMailsAsync(6);
        // The sweep records the steps and moves the time on before it sends them; each is marked notified once all are sent.
        await Eventually.WaitUntilAsync(async () => await StepsAsync(alertId) ==
            "acknowledged:0:ncp-duty:true,acknowledged:1:ncp-officer:true,acknowledged:2:admin:true," +
            "responded:0:ncp-duty:true,responded:1:ncp-officer:true,responded:2:admin:true", "every step was recorded once and sent");
        Assert.Equal("none", await NextStepAsync(alertId));
        await host.StopAsync();
    }
}
