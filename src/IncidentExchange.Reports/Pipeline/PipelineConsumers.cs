using IncidentExchange.Contracts.Severity;
using IncidentExchange.Contracts.Triage;
using IncidentExchange.Reports.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Pipeline;

/// <summary>Moves a report to <c>triaged</c> when triage has classified its current version.</summary>
public sealed class ReportTriagedConsumer(ReportsDb db) : IConsumer<ReportTriaged>
{
    public Task Consume(ConsumeContext<ReportTriaged> context) =>
        db.ConsumeOnceAsync(context, nameof(ReportTriagedConsumer), async cancellationToken =>
        {
            var report = await db.Reports.SingleOrDefaultAsync(r => r.Id == context.Message.ReportId, cancellationToken)
                ?? throw new InvalidOperationException($"Triage of unknown report {context.Message.ReportId}.");
            if (report.Version == context.Message.Version)
                report.Status = ReportStatus.Advance(report.Status, ReportStatus.Triaged);
        });
}

/// <summary>
/// Keeps the severity of a report's current version beside it (a release carries it to the counterpart's alert)
/// and moves the report to <c>assessed</c>. An assessment of a version since replaced changes nothing.
/// </summary>
public sealed class SeverityAssessedConsumer(ReportsDb db) : IConsumer<SeverityAssessed>
{
    public Task Consume(ConsumeContext<SeverityAssessed> context) =>
        db.ConsumeOnceAsync(context, nameof(SeverityAssessedConsumer), async cancellationToken =>
        {
            var assessed = context.Message;
            var report = await db.Reports.SingleOrDefaultAsync(r => r.Id == assessed.ReportId, cancellationToken)
                ?? throw new InvalidOperationException($"Assessment of unknown report {assessed.ReportId}.");
            if (report.Version != assessed.Version)
                return;
            report.Severity = assessed.Level;
            report.SeverityLabelEn = assessed.LabelEn;
            report.SeverityLabelZh = assessed.LabelZh;
            report.Status = ReportStatus.Advance(report.Status, ReportStatus.Assessed);
        });
}
