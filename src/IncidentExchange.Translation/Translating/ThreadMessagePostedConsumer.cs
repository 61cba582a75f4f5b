using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Translation.Data;
using IncidentExchange.Translation.Engines;
using MassTransit;

namespace IncidentExchange.Translation.Translating;

/// <summary>
/// A follow-up question or answer is free text like a report's: announced as pending (or untranslated without an
/// engine) under the field <c>thread:{messageId}</c>, and rendered by the <see cref="TranslationWorker"/>. Published as
/// <see cref="ReportTranslated"/> with version 0, as a message belongs to the report, not to one of its versions.
/// </summary>
public sealed class ThreadMessagePostedConsumer(
    TranslationDb db, ReportTranslator translator, TranslationQueueSignal queued, TimeProvider clock, ITranslationEngine? engine = null)
    : IConsumer<ThreadMessagePosted>
{
    public const int Version = 0;

    public async Task Consume(ConsumeContext<ThreadMessagePosted> context)
    {
        await db.ConsumeOnceAsync(context, nameof(ThreadMessagePostedConsumer), async cancellationToken =>
        {
            var message = context.Message;
            var field = $"thread:{message.MessageId}";
            var fields = translator.TargetsOf(message.Language)
                .Select(target => (TranslationQueue.FreeText(field, message.Language, target, message.Body, engine), message.Body)).ToList();
            var announced = await TranslationQueue.AddNewAsync(db, message.ReportId, Version, fields, [], clock.GetUtcNow(), cancellationToken);
            if (announced.Count > 0)
                db.Publish(new ReportTranslated(message.ReportId, Version, announced));
        });
        if (engine is not null)
            queued.Wake();
    }
}
