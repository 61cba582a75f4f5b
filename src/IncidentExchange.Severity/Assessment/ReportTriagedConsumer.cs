using IncidentExchange.Contracts.Severity;
using IncidentExchange.Contracts.Triage;
using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Severity.Data;
using IncidentExchange.Severity.Rules;
using MassTransit;

namespace IncidentExchange.Severity.Assessment;

/// <summary>Assesses each triaged report against the rule set in force and announces its level and the limits that follow.</summary>
public sealed class ReportTriagedConsumer(SeverityDb db, RuleSetStore ruleSets, TimeProvider clock) : IConsumer<ReportTriaged>
{
    public Task Consume(ConsumeContext<ReportTriaged> context) =>
        db.ConsumeOnceAsync(context, nameof(ReportTriagedConsumer), async cancellationToken =>
        {
            var report = context.Message;
            var rules = await ruleSets.InForceAsync(db, cancellationToken);
            // The reporter's category stands; triage's suggestion is for a human to confirm, not for the rules to assume.
            var level = rules.Assess(report.Category, report.Signals, report.Kind, report.ImpactIndicators);
            var (acknowledgeWithin, respondWithin, notifyWithin) = rules.LimitsFor(level.Value);
            var assessment = new SeverityAssessment
            {
                ReportId = report.ReportId,
                Version = report.Version,
                Party = report.Party,
                Category = report.Category,
                Signals = [.. report.Signals.Union(report.ImpactIndicators ?? [])],
                Level = level.Value,
                RuleSetVersion = rules.Version,
                Exercise = report.Exercise,
                AssessedAt = clock.GetUtcNow(),
            };
            db.Assessments.Add(assessment);
            db.Publish(new SeverityAssessed(report.ReportId, report.Version, report.Party, level.Value, level.En, level.Zh,
                rules.Version, report.Category, report.Title, report.Exercise, assessment.AssessedAt, acknowledgeWithin, respondWithin, report.IncidentId, notifyWithin, rules.Ladder));
        });
}
