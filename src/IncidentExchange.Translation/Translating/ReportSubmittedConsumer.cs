using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Translation.Data;
using IncidentExchange.Translation.Engines;
using MassTransit;

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
            var fields = new List<(FieldTranslation, string)>();
            foreach (var target in translator.TargetsOf(report.Language))
            {
                fields.AddRange(translator.Controlled(report, target, now).Select(f => (f, f.Field == "category" ? report.Category : report.Kind)));
                fields.AddRange(ReportTranslator.FreeText(report).Select(source =>
                    (TranslationQueue.FreeText(source.Field, report.Language, target, source.Text, engine), source.Text)));
            }
            var names = new[] { report.ModelName, report.ModelDeveloper }.OfType<string>().ToArray();
            var announced = await TranslationQueue.AddNewAsync(db, report.ReportId, report.Version, fields, names, now, cancellationToken);
            if (announced.Count > 0)
                db.Publish(new ReportTranslated(report.ReportId, report.Version, announced));
        });
        if (engine is not null)
            queued.Wake();
    }
}
