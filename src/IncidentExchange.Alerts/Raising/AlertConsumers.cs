using IncidentExchange.Alerts.Data;
using IncidentExchange.Alerts.Stamps;
using IncidentExchange.Contracts.Drills;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Severity;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Alerts.Raising;

/// <summary>A report's severity is known: its home party's contact point is alerted.</summary>
public sealed class SeverityAssessedConsumer(AlertRaiser raiser) : IConsumer<SeverityAssessed>
{
    public Task Consume(ConsumeContext<SeverityAssessed> context)
    {
        var m = context.Message;
        var limits = m.AcknowledgeWithinMinutes is not null || m.RespondWithinMinutes is not null || m.NotifyCounterpartWithinHours is not null
            ? new AlertRaiser.Limits(m.RuleSetVersion, m.AcknowledgeWithinMinutes, m.RespondWithinMinutes, m.NotifyCounterpartWithinHours, m.Escalation)
            : null;
        return raiser.RaiseAsync(context, nameof(SeverityAssessedConsumer), _ => Task.FromResult<IReadOnlyList<AlertRaiser.Draft>>(
            [new(m.Party, Alert.ReportKind, m.ReportId, m.Version, m.Level, m.LabelEn, m.LabelZh, m.Title, m.Category, m.Exercise, Limits: limits,
                IncidentId: m.IncidentId)]));
    }
}

/// <summary>
/// The counterpart released a report to this party: its contact point is alerted. For the releasing party, the release
/// is its response to its own labs' report: those alerts get their <em>responded</em> stamp.
/// </summary>
public sealed class ReportReleasedConsumer(AlertRaiser raiser, AlertsDb db) : IConsumer<ReportReleased>
{
    public Task Consume(ConsumeContext<ReportReleased> context)
    {
        var m = context.Message;
        return raiser.RaiseAsync(context, nameof(ReportReleasedConsumer), async cancellationToken =>
        {
            await Stamping.RespondedAsync(db, m.ReportId, m.FromParty, [Alert.ReportKind], m.ReleasedBy ?? m.FromParty, Stamping.ByRelease, null,
                m.ReleasedAt, cancellationToken);
            await Stamping.CounterpartNotifiedAsync(db, m.ReportId, m.FromParty, m.ReleasedBy ?? m.FromParty, m.ReleasedAt, cancellationToken);
            // The counterpart's limits are those the rule set in force gave the home party's alert of this version.
            var home = await db.Alerts.AsNoTracking()
                .Where(a => a.ReportId == m.ReportId && a.Party == m.FromParty && a.Kind == Alert.ReportKind && a.ReportVersion == m.Version)
                .FirstOrDefaultAsync(cancellationToken);
            var limits = home is null ? null : new AlertRaiser.Limits(home.RuleSetVersion,
                home.AcknowledgeDueAt is { } ack ? (int)(ack - home.RaisedAt).TotalMinutes : null,
                home.RespondDueAt is { } respond ? (int)(respond - home.RaisedAt).TotalMinutes : null,
                Ladder: StampRules.LadderOf(home));
            return [new(m.ToParty, Alert.ReleasedKind, m.ReportId, m.Version, m.Severity, m.SeverityLabelEn, m.SeverityLabelZh, m.Title, m.Category,
                m.Exercise, FromParty: m.FromParty, Limits: limits)];
        });
    }
}

/// <summary>
/// A released report was withdrawn at its source: each party it was released to is alerted, under the title and
/// severity that party was last released (never the source's current, perhaps unreleased, text).
/// </summary>
public sealed class ReportNullifiedConsumer(AlertRaiser raiser, AlertsDb db) : IConsumer<ReportNullified>
{
    public Task Consume(ConsumeContext<ReportNullified> context)
    {
        var m = context.Message;
        return raiser.RaiseAsync(context, nameof(ReportNullifiedConsumer), async cancellationToken =>
        {
            var drafts = new List<AlertRaiser.Draft>();
            foreach (var party in m.ReleasedTo)
            {
                var released = await db.Alerts.AsNoTracking()
                    .Where(a => a.ReportId == m.ReportId && a.Party == party && a.Kind == Alert.ReleasedKind)
                    .OrderByDescending(a => a.Sequence).FirstOrDefaultAsync(cancellationToken);
                // The release and the nullification travel on separate queues: if the release has not been raised
                // yet, fail and let the retry policy bring this message back after it.
                if (released is null)
                    throw new InvalidOperationException($"Report {m.ReportId} was nullified before its release to {party} was raised.");
                drafts.Add(new(party, Alert.NullifiedKind, m.ReportId, released.ReportVersion, released.Severity, released.SeverityLabelEn,
                    released.SeverityLabelZh, released.Title, released.Category, m.Exercise, FromParty: m.Party));
            }
            return drafts;
        });
    }
}

/// <summary>
/// A coordinator's communication check: the party's contact point is alerted, as exercise traffic, and must acknowledge
/// within the check's limit; it escalates along the protocol's ladder like any alert. Nothing is to be answered.
/// </summary>
public sealed class CommunicationCheckSentConsumer(AlertRaiser raiser) : IConsumer<CommunicationCheckSent>
{
    public Task Consume(ConsumeContext<CommunicationCheckSent> context)
    {
        var m = context.Message;
        var limits = new AlertRaiser.Limits(Alert.CheckRuleSet, m.AcknowledgeWithinMinutes, RespondWithinMinutes: null);
        return raiser.RaiseAsync(context, nameof(CommunicationCheckSentConsumer), _ => Task.FromResult<IReadOnlyList<AlertRaiser.Draft>>(
            [new(m.Party, Alert.CheckKind, m.CheckId, 0, 0, "Communication check", "通信检查", m.Title, "communication-check", Exercise: true,
                Limits: limits)]));
    }
}
