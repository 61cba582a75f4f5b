using IncidentExchange.Contracts.Translation;
using IncidentExchange.Reports.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Translations;

/// <summary>
/// Keeps the translations of a report beside it, one per field, target language and source text, so that the report
/// view shows original and renderings together. A later message about the same source text replaces the earlier one,
/// except that news without text (pending) never replaces a text already received: the announcement and the engine's
/// result travel in separate messages, and may arrive in either order.
/// </summary>
public sealed class ReportTranslatedConsumer(ReportsDb db, TimeProvider clock) : IConsumer<ReportTranslated>
{
    public Task Consume(ConsumeContext<ReportTranslated> context) =>
        db.ConsumeOnceAsync(context, nameof(ReportTranslatedConsumer), async cancellationToken =>
        {
            var message = context.Message;
            var hashes = message.Fields.Select(f => f.SourceHash).Distinct().ToList();
            // The report's stored translations of these texts, read with the report's existence in one query.
            var stored = await db.Reports.Where(r => r.Id == message.ReportId)
                .Select(r => db.Translations.Where(t => t.ReportId == r.Id && hashes.Contains(t.SourceHash)).ToList())
                .SingleOrDefaultAsync(cancellationToken)
                ?? throw new InvalidOperationException($"Translation for unknown report {message.ReportId}.");
            var existing = stored.ToDictionary(t => (t.Field, t.TargetLanguage, t.SourceHash));
            foreach (var field in message.Fields)
            {
                if (!existing.TryGetValue((field.Field, field.TargetLanguage, field.SourceHash), out var translation))
                {
                    translation = new ReportTranslation
                    {
                        ReportId = message.ReportId, Version = message.Version, Field = field.Field, TargetLanguage = field.TargetLanguage,
                        SourceHash = field.SourceHash, SourceLanguage = field.SourceLanguage, Status = field.Status, Engine = field.Engine,
                    };
                    db.Translations.Add(translation);
                    existing[(field.Field, field.TargetLanguage, field.SourceHash)] = translation;
                }
                else if (field.Text is null && translation.Text is not null)
                {
                    continue;
                }
                translation.Version = Math.Min(translation.Version, message.Version);
                translation.SourceLanguage = field.SourceLanguage;
                translation.Text = field.Text;
                translation.Status = field.Status;
                translation.Engine = field.Engine;
                translation.Model = field.Model;
                translation.GlossaryNotes = field.GlossaryNotes?.ToArray() ?? [];
                translation.TranslatedAt = field.TranslatedAt;
                translation.ReceivedAt = clock.GetUtcNow();
            }
        });
}
