using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Triage;
using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Triage.Data;
using IncidentExchange.Triage.Grouping;
using MassTransit;

namespace IncidentExchange.Triage.Classification;

/// <summary>Classifies each submitted report, links it to an incident, and announces the result.</summary>
public sealed class ReportSubmittedConsumer(TriageDb db, Classifier classifier, Grouper grouper, TimeProvider clock) : IConsumer<ReportSubmitted>
{
    public async Task Consume(ConsumeContext<ReportSubmitted> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("A ReportSubmitted message came without an id.");
        var cancellationToken = context.CancellationToken;
        await db.OnceAsync(messageId, nameof(ReportSubmittedConsumer), async () =>
        {
            db.ChangeTracker.Clear();
            var report = context.Message;
            var classification = classifier.Classify(report.Category, report.Title, report.Summary);
            var triagedAt = clock.GetUtcNow();
            // Written in the transaction that commits the link: for a new report, with others of its party (GroupingBatches).
            await grouper.GroupAsync(report, (batch, link) =>
            {
                batch.Results.Add(new TriageResult
                {
                    ReportId = report.ReportId,
                    Version = report.Version,
                    Party = report.Party,
                    Category = report.Category,
                    SuggestedCategory = classification.SuggestedCategory,
                    Signals = [.. classification.Signals],
                    Exercise = report.Exercise,
                    TriagedAt = triagedAt,
                });
                batch.Publish(new ReportTriaged(report.ReportId, report.Version, report.Party, report.Category, classification.SuggestedCategory,
                    classification.Signals, report.Title, report.Exercise, triagedAt, link.IncidentId, report.Kind, report.ImpactIndicators));
                batch.MarkProcessed(messageId, nameof(ReportSubmittedConsumer));
            }, cancellationToken);
        }, cancellationToken);
    }
}
