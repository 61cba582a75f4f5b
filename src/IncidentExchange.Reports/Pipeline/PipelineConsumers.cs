using IncidentExchange.Contracts.Severity;
using IncidentExchange.Contracts.Triage;
using IncidentExchange.Reports.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Pipeline;

/// <summary>
/// The pipeline's news of a report, kept on its row. Each message is one statement — the report's update and the
/// message's inbox record, the record written only if the report exists — so one round trip, atomic by itself; the
/// status moves forward in the database (<see cref="ReportStatus.EarlierThan"/>), so that an officer's close or a
/// nullification committed meanwhile is never overwritten. A message processed before fails on the inbox key and is
/// dropped (<see cref="MessagingDbContextExtensions.OnceAsync"/>); one about an unknown report is a fault.
/// </summary>
internal static class PipelineNews
{
    public static Task KeepAsync(ReportsDb db, ConsumeContext context, string consumer, Guid reportId, Func<Guid, FormattableString> statement)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException($"{consumer} got a message without an id.");
        return db.OnceAsync(messageId, consumer, async () =>
        {
            if (await db.Database.ExecuteSqlAsync(statement(messageId), context.CancellationToken) == 0)
                throw new InvalidOperationException($"{consumer}: unknown report {reportId}.");
        }, context.CancellationToken);
    }
}

/// <summary>Moves a report to <c>triaged</c> when triage has classified its current version.</summary>
public sealed class ReportTriagedConsumer(ReportsDb db) : IConsumer<ReportTriaged>
{
    public Task Consume(ConsumeContext<ReportTriaged> context)
    {
        var triaged = context.Message;
        return PipelineNews.KeepAsync(db, context, nameof(ReportTriagedConsumer), triaged.ReportId, messageId => $"""
            WITH report AS (SELECT id FROM reports WHERE id = {triaged.ReportId}),
            changed AS (
                UPDATE reports SET status = {ReportStatus.Triaged}
                WHERE id = {triaged.ReportId} AND version = {triaged.Version} AND status = ANY({ReportStatus.EarlierThan(ReportStatus.Triaged)}))
            INSERT INTO inbox_messages (message_id, consumer, processed_at)
            SELECT {messageId}, {nameof(ReportTriagedConsumer)}, {DateTimeOffset.UtcNow} FROM report
            """);
    }
}

/// <summary>
/// Keeps the severity of a report's current version beside it (a release carries it to the counterpart's alert)
/// and moves the report to <c>assessed</c>. An assessment of a version since replaced changes nothing.
/// </summary>
public sealed class SeverityAssessedConsumer(ReportsDb db) : IConsumer<SeverityAssessed>
{
    public Task Consume(ConsumeContext<SeverityAssessed> context)
    {
        var assessed = context.Message;
        return PipelineNews.KeepAsync(db, context, nameof(SeverityAssessedConsumer), assessed.ReportId, messageId => $"""
            WITH report AS (SELECT id FROM reports WHERE id = {assessed.ReportId}),
            changed AS (
                UPDATE reports SET severity = {assessed.Level}, severity_label_en = {assessed.LabelEn}, severity_label_zh = {assessed.LabelZh},
                    status = CASE WHEN status = ANY({ReportStatus.EarlierThan(ReportStatus.Assessed)}) THEN {ReportStatus.Assessed} ELSE status END
                WHERE id = {assessed.ReportId} AND version = {assessed.Version})
            INSERT INTO inbox_messages (message_id, consumer, processed_at)
            SELECT {messageId}, {nameof(SeverityAssessedConsumer)}, {DateTimeOffset.UtcNow} FROM report
            """);
    }
}
