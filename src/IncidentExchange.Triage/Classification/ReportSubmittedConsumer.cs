using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Triage;
using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Triage.Data;
using IncidentExchange.Triage.Grouping;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Triage.Classification;

/// <summary>Classifies each submitted report, links it to an incident, and announces the result.</summary>
public sealed class ReportSubmittedConsumer(TriageDb db, Classifier classifier, Grouper grouper, TimeProvider clock) : IConsumer<ReportSubmitted>
{
    public async Task Consume(ConsumeContext<ReportSubmitted> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("A ReportSubmitted message came without an id.");
        var cancellationToken = context.CancellationToken;
        // An explicit transaction: grouping takes a lock that must be held until the link it decides is committed.
        await db.OnceAsync(messageId, nameof(ReportSubmittedConsumer), () => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

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
            var link = await grouper.GroupAsync(report, cancellationToken);
            db.Publish(new ReportTriaged(result.ReportId, result.Version, result.Party, result.Category, result.SuggestedCategory,
                classification.Signals, report.Title, report.Exercise, result.TriagedAt, link.IncidentId, report.Kind, report.ImpactIndicators));
            db.MarkProcessed(messageId, nameof(ReportSubmittedConsumer));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }), cancellationToken);
    }
}
