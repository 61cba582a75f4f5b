using IncidentExchange.Alerts.Data;
using IncidentExchange.Alerts.Hub;
using IncidentExchange.Alerts.Stamps;
using IncidentExchange.ServiceDefaults.Authentication;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Alerts.Escalation;

/// <summary>Wakes the <see cref="EscalationWorker"/> before its next sweep (tests that move the clock use it).</summary>
public sealed class EscalationSignal : WakeSignal;

/// <summary>
/// Walks the escalation ladder of the rule set for every alert whose acknowledgement or response is overdue: each
/// step, at its time after the limit, is recorded once (the clocks and the record live in the database, so a restart
/// loses nothing and repeats nothing), then its role is told — pushed on the hub to that role's connections, and sent
/// on the notification channel (e-mail), retried with backoff until the channel takes it. A step whose stamp was set
/// before it was sent is recorded as such and not sent. Exercise alerts escalate too, marked EXERCISE.
/// </summary>
public sealed class EscalationWorker(
    IServiceScopeFactory scopes, EscalationSignal signal, TimeProvider clock, ILogger<EscalationWorker> logger)
    : SweepingWorker(signal, logger)
{
    protected override TimeSpan Sweep => TimeSpan.FromSeconds(5);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertsDb>();
        await RecordDueStepsAsync(db, cancellationToken);
        await NotifyAsync(db, scope.ServiceProvider.GetRequiredService<IHubContext<AlertsHub, IAlertsClient>>(),
            scope.ServiceProvider.GetService<INotificationChannel>(), cancellationToken);
    }

    private async Task RecordDueStepsAsync(AlertsDb db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Only alerts with a step due: the rest, however many are left unanswered, cost nothing here. The most overdue first.
        var due = await db.Alerts.Where(a => a.NextEscalationAt <= now).OrderBy(a => a.NextEscalationAt).Take(500).ToListAsync(cancellationToken);
        if (due.Count == 0)
            return;
        var ids = due.Select(a => a.Id).ToList();
        var taken = (await db.Escalations.AsNoTracking().Where(e => ids.Contains(e.AlertId)).Select(e => new { e.AlertId, e.Stamp, e.Step })
            .ToListAsync(cancellationToken)).Select(e => (e.AlertId, e.Stamp, e.Step)).ToHashSet();

        foreach (var alert in due)
        {
            var ladder = StampRules.LadderOf(alert);
            foreach (var (stamp, clockDue) in StampRules.OpenClocks(alert).Where(c => c.Due <= now))
                for (var step = 0; step < ladder.Count; step++)
                {
                    var stepDue = clockDue.AddMinutes(ladder[step].AfterMinutes);
                    if (stepDue > now || !taken.Add((alert.Id, stamp, step)))
                        continue;
                    // Another replica may record the same step at the same time: the unique index keeps one.
                    await db.Database.ExecuteSqlAsync($"""
                        INSERT INTO escalations (id, alert_id, party, stamp, step, role, due_at, recorded_at, attempts)
                        VALUES ({Guid.CreateVersion7(now)}, {alert.Id}, {alert.Party}, {stamp}, {step}, {ladder[step].Role}, {stepDue}, {now}, 0)
                        ON CONFLICT (alert_id, stamp, step) DO NOTHING
                        """, cancellationToken);
                }
            // Only this column is written: a stamp set meanwhile stays, and the next sweep that reads the alert sees it.
            alert.NextEscalationAt = StampRules.NextEscalationAt(alert, ladder, (stamp, step) => taken.Contains((alert.Id, stamp, step)));
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task NotifyAsync(AlertsDb db, IHubContext<AlertsHub, IAlertsClient> hub, INotificationChannel? channel, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var pending = await db.Escalations
            .Where(e => e.NotifiedAt == null && (e.NextAttemptAt == null || e.NextAttemptAt <= now))
            .OrderBy(e => e.RecordedAt).Take(100).ToListAsync(cancellationToken);
        foreach (var escalation in pending)
        {
            var alert = await db.Alerts.AsNoTracking().SingleAsync(a => a.Id == escalation.AlertId, cancellationToken);
            var stampSet = escalation.Stamp switch
            {
                Stamping.Acknowledged => alert.AcknowledgedAt,
                Stamping.Responded => alert.RespondedAt,
                _ => alert.CounterpartNotifiedAt,
            };
            if (stampSet is not null)
            {
                escalation.NotifiedAt = now;
                escalation.Outcome = $"not sent: {escalation.Stamp} at {stampSet:O} before it was due to be sent";
                continue;
            }
            if (escalation.Attempts == 0 && escalation.Role is Roles.NcpDuty or Roles.NcpOfficer)
                await hub.Clients.Group(AlertsHub.RoleGroup(alert.Party, escalation.Role))
                    .Escalation(new EscalationMessage(escalation.Id, AlertMessage.From(alert), escalation.Stamp, escalation.Step, escalation.Role, escalation.DueAt));
            escalation.Attempts++;
            try
            {
                var sent = channel is null ? "no notification channel configured" : await channel.SendAsync(alert.Party, escalation.Role,
                    Subject(alert, escalation), Body(alert, escalation), cancellationToken);
                escalation.NotifiedAt = now;
                escalation.Outcome = Truncate(escalation.Role is Roles.NcpDuty or Roles.NcpOfficer ? $"pushed to {escalation.Role}; {sent}" : sent);
                logger.LogWarning("Alert {AlertId} of {Party}: {Stamp} overdue since {Due}; escalation step {Step} to {Role}: {Outcome}",
                    alert.Id, alert.Party, escalation.Stamp, escalation.DueAt, escalation.Step, escalation.Role, escalation.Outcome);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                escalation.NextAttemptAt = now + TimeSpan.FromSeconds(Math.Min(600, 5 * Math.Pow(2, Math.Min(escalation.Attempts, 8))));
                escalation.Outcome = Truncate($"{channel!.Name} failed: {e.Message}");
                logger.LogWarning("Escalation {EscalationId} could not be sent ({Error}); next try at {Next}.", escalation.Id, e.Message, escalation.NextAttemptAt);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Subject(Alert alert, Data.Escalation escalation) =>
        $"{(alert.Exercise ? "EXERCISE " : "")}IncidentExchange: level {alert.Severity} alert #{alert.Sequence} not {What(escalation.Stamp)}, step {escalation.Step + 1}";

    private static string What(string stamp) => stamp == Stamping.CounterpartNotified ? "notified to the counterpart" : stamp;

    private static string Body(Alert alert, Data.Escalation escalation) => $"""
        {(alert.Exercise ? "EXERCISE — this alert belongs to a drill.\n\n" : "")}An alert to {alert.Party} has not been {What(escalation.Stamp)} within its limit ({escalation.DueAt:u}).

        Alert #{alert.Sequence} ({alert.Kind}), level {alert.Severity} {alert.SeverityLabelEn} / {alert.SeverityLabelZh}
        {alert.Title}
        Raised (delivered) {alert.RaisedAt:u}; rule set {alert.RuleSetVersion}.

        You receive this as {escalation.Role}, step {escalation.Step + 1} of the escalation ladder. Open the contact-point dashboard to acknowledge it.
        """;

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];
}
