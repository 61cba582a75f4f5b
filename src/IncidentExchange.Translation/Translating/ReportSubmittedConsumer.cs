using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Translation.Data;
using IncidentExchange.Translation.Engines;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Translation.Translating;

/// <summary>
/// For each submitted report or version: renders the controlled fields from the glossary and announces them at once,
/// with each new free text as <c>pending</c> (queued for the engine, see <see cref="TranslationWorker"/>) or, without an
/// engine, <c>untranslated</c>. A free text already translated for this report (an unchanged field of a new version)
/// keeps its translation. The engine is never called here, so a slow or dead engine never holds up the bus.
/// </summary>
public sealed class ReportSubmittedConsumer(
    TranslationDb db, ReportTranslator translator, TranslationQueueSignal queued, TimeProvider clock, ITranslationEngine? engine = null)
    : IConsumer<ReportSubmitted>
{
    public async Task Consume(ConsumeContext<ReportSubmitted> context)
    {
        await db.ConsumeOnceAsync(context, nameof(ReportSubmittedConsumer), async cancellationToken =>
        {
            var report = context.Message;
            var now = clock.GetUtcNow();
            var known = (await db.Translations.AsNoTracking()
                    .Where(t => t.ReportId == report.ReportId)
                    .Select(t => new { t.Field, t.TargetLanguage, t.SourceHash })
                    .ToListAsync(cancellationToken))
                .Select(t => (t.Field, t.TargetLanguage, t.SourceHash)).ToHashSet();

            var announced = new List<FieldTranslation>();
            foreach (var target in translator.TargetsOf(report.Language))
            {
                var fields = translator.Controlled(report, target, now).Select(f => (Field: f, SourceText: f.Field == "category" ? report.Category : report.Kind))
                    .Concat(ReportTranslator.FreeText(report).Select(source => (Field: new FieldTranslation(source.Field, report.Language, target, null,
                        engine is null ? ReportTranslator.Untranslated : ReportTranslator.Pending, engine?.Name ?? "none",
                        ReportTranslator.Hash(source.Text), engine?.Model), SourceText: source.Text)));
                foreach (var (field, sourceText) in fields.Where(f => !known.Contains((f.Field.Field, target, f.Field.SourceHash))))
                {
                    db.Translations.Add(new TranslationRecord
                    {
                        ReportId = report.ReportId, Version = report.Version, Field = field.Field, SourceLanguage = report.Language,
                        TargetLanguage = target, SourceHash = field.SourceHash, SourceText = sourceText,
                        ProtectedNames = new[] { report.ModelName, report.ModelDeveloper }.OfType<string>().ToArray(),
                        Text = field.Text, Status = field.Status, Engine = field.Engine, Model = field.Model,
                        NextAttemptAt = field.Status == ReportTranslator.Pending ? now : null, CreatedAt = now, TranslatedAt = field.TranslatedAt,
                    });
                    announced.Add(field);
                }
            }
            if (announced.Count > 0)
                db.Publish(new ReportTranslated(report.ReportId, report.Version, announced));
        });
        if (engine is not null)
            queued.Wake();
    }
}
