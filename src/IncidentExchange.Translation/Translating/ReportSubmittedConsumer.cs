using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Translation.Data;
using MassTransit;

namespace IncidentExchange.Translation.Translating;

/// <summary>Translates each submitted report, keeps the translations with provenance, and announces them.</summary>
public sealed class ReportSubmittedConsumer(TranslationDb db, ReportTranslator translator, TimeProvider clock) : IConsumer<ReportSubmitted>
{
    public Task Consume(ConsumeContext<ReportSubmitted> context) =>
        db.ConsumeOnceAsync(context, nameof(ReportSubmittedConsumer), _ =>
        {
            var report = context.Message;
            var fields = translator.Translate(report);
            var now = clock.GetUtcNow();
            db.Translations.AddRange(fields.Select(field => new FieldTranslationRecord
            {
                ReportId = report.ReportId,
                Version = report.Version,
                Field = field.Field,
                SourceLanguage = field.SourceLanguage,
                TargetLanguage = field.TargetLanguage,
                Text = field.Text,
                Status = field.Status,
                Engine = field.Engine,
                SourceHash = field.SourceHash,
                CreatedAt = now,
            }));
            db.Publish(new ReportTranslated(report.ReportId, report.Version, fields));
            return Task.CompletedTask;
        });
}
