using IncidentExchange.Contracts.Translation;
using IncidentExchange.Reports.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Translations;

/// <summary>Keeps the translations of a report beside it, so that the report view shows original and renderings together.</summary>
public sealed class ReportTranslatedConsumer(ReportsDb db) : IConsumer<ReportTranslated>
{
    public async Task Consume(ConsumeContext<ReportTranslated> context)
    {
        var message = context.Message;
        var messageId = context.MessageId ?? throw new InvalidOperationException("Message without id.");
        if (await db.AlreadyProcessedAsync(messageId, nameof(ReportTranslatedConsumer), context.CancellationToken))
            return;
        if (!await db.Reports.AnyAsync(r => r.Id == message.ReportId, context.CancellationToken))
            throw new InvalidOperationException($"Translation for unknown report {message.ReportId}.");

        var existing = await db.Translations
            .Where(t => t.ReportId == message.ReportId && t.Version == message.Version)
            .ToListAsync(context.CancellationToken);
        db.Translations.RemoveRange(existing.Where(t => message.Fields.Any(f => f.Field == t.Field && f.TargetLanguage == t.TargetLanguage)));
        foreach (var field in message.Fields)
            db.Translations.Add(new ReportTranslation
            {
                ReportId = message.ReportId,
                Version = message.Version,
                Field = field.Field,
                SourceLanguage = field.SourceLanguage,
                TargetLanguage = field.TargetLanguage,
                Text = field.Text,
                Status = field.Status,
                Engine = field.Engine,
                SourceHash = field.SourceHash,
                ReceivedAt = DateTimeOffset.UtcNow,
            });
        db.MarkProcessed(messageId, nameof(ReportTranslatedConsumer));
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
