using IncidentExchange.Contracts.Translation;
using IncidentExchange.Translation.Data;
using IncidentExchange.Translation.Engines;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Translation.Translating;

/// <summary>Records the translations a report's new texts need: pending ones are the <see cref="TranslationWorker"/>'s queue.</summary>
public static class TranslationQueue
{
    /// <summary>How a free text is announced before the engine has rendered it: pending, or untranslated without an engine.</summary>
    public static FieldTranslation FreeText(string field, string sourceLanguage, string target, string text, ITranslationEngine? engine) =>
        new(field, sourceLanguage, target, null, engine is null ? ReportTranslator.Untranslated : ReportTranslator.Pending,
            engine?.Name ?? "none", ReportTranslator.Hash(text), engine?.Model);

    /// <summary>
    /// Adds a record for each field not yet translated from this very text for this report (an unchanged field of a new
    /// version is skipped), and returns those fields: what to announce.
    /// </summary>
    public static async Task<IReadOnlyList<FieldTranslation>> AddNewAsync(
        TranslationDb db, Guid reportId, int version, IReadOnlyList<(FieldTranslation Field, string SourceText)> fields, string[] protectedNames,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var names = fields.Select(f => f.Field.Field).Distinct().ToList();
        var known = (await db.Translations.AsNoTracking()
                .Where(t => t.ReportId == reportId && names.Contains(t.Field))
                .Select(t => new { t.Field, t.TargetLanguage, t.SourceHash })
                .ToListAsync(cancellationToken))
            .Select(t => (t.Field, t.TargetLanguage, t.SourceHash)).ToHashSet();

        var added = new List<FieldTranslation>();
        foreach (var (field, sourceText) in fields.Where(f => known.Add((f.Field.Field, f.Field.TargetLanguage, f.Field.SourceHash))))
        {
            db.Translations.Add(new TranslationRecord
            {
                ReportId = reportId, Version = version, Field = field.Field, SourceLanguage = field.SourceLanguage,
                TargetLanguage = field.TargetLanguage, SourceHash = field.SourceHash, SourceText = sourceText, ProtectedNames = protectedNames,
                Text = field.Text, Status = field.Status, Engine = field.Engine, Model = field.Model,
                NextAttemptAt = field.Status == ReportTranslator.Pending ? now : null, CreatedAt = now, TranslatedAt = field.TranslatedAt,
            });
            added.Add(field);
        }
        return added;
    }
}
