using IncidentExchange.Contracts.Translation;
using IncidentExchange.Reports.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Translations;

/// <summary>Keeps the translations of a report beside it, so that the report view shows original and renderings together.</summary>
public sealed class ReportTranslatedConsumer(ReportsDb db) : IConsumer<ReportTranslated>
{
    public Task Consume(ConsumeContext<ReportTranslated> context) =>
        db.ConsumeOnceAsync(context, nameof(ReportTranslatedConsumer), async cancellationToken =>
        {
            var message = context.Message;
            if (!await db.Reports.AnyAsync(r => r.Id == message.ReportId, cancellationToken))
                throw new InvalidOperationException($"Translation for unknown report {message.ReportId}.");

            // A later translation of the same field replaces the earlier one.
            var existing = await db.Translations
                .Where(t => t.ReportId == message.ReportId && t.Version == message.Version)
                .ToDictionaryAsync(t => (t.Field, t.TargetLanguage), cancellationToken);
            foreach (var field in message.Fields)
            {
                if (!existing.TryGetValue((field.Field, field.TargetLanguage), out var translation))
                {
                    translation = new ReportTranslation
                    {
                        ReportId = message.ReportId, Version = message.Version, Field = field.Field, TargetLanguage = field.TargetLanguage,
                        SourceLanguage = field.SourceLanguage, Status = field.Status, Engine = field.Engine, SourceHash = field.SourceHash,
                    };
                    db.Translations.Add(translation);
                }
                translation.SourceLanguage = field.SourceLanguage;
                translation.Text = field.Text;
                translation.Status = field.Status;
                translation.Engine = field.Engine;
                translation.SourceHash = field.SourceHash;
                translation.ReceivedAt = DateTimeOffset.UtcNow;
            }
        });
}
