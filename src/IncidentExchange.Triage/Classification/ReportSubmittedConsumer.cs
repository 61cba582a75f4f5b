using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Triage;
using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Triage.Data;
using MassTransit;

namespace IncidentExchange.Triage.Classification;

/// <summary>Classifies each submitted report and announces the result.</summary>
public sealed class ReportSubmittedConsumer(TriageDb db, Classifier classifier, TimeProvider clock) : IConsumer<ReportSubmitted>
{
    public Task Consume(ConsumeContext<ReportSubmitted> context) =>
        db.ConsumeOnceAsync(context, nameof(ReportSubmittedConsumer), _ =>
        {
            var report = context.Message;
            var classification = classifier.Classify(report.Category, report.Title, report.Summary);
            var result = new TriageResult
            {
                ReportId = report.ReportId,
                Version = report.Version,
                Party = report.Party,
                Category = report.Category,
                SuggestedCategory = classification.SuggestedCategory,
                Signals = [.. classification.Signals],
                Exercise = report.Exercise,
                TriagedAt = clock.GetUtcNow(),
            };
            db.Results.Add(result);
            db.Publish(new ReportTriaged(result.ReportId, result.Version, result.Party, result.Category, result.SuggestedCategory,
                classification.Signals, report.Title, report.Exercise, result.TriagedAt));
            return Task.CompletedTask;
        });
}
