using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Translation;

namespace IncidentExchange.Translation.Translating;

/// <summary>
/// What of a report is rendered into the other languages of the exchange, and how. Controlled vocabulary (category,
/// kind) comes from the glossary at once. Free text (title, summary, mitigations) goes to the engine, or, when none is
/// configured, is marked untranslated: never copied across as if it were a translation.
/// </summary>
public sealed class ReportTranslator(Glossary.Glossary glossary)
{
    public const string FromGlossary = "glossary";
    public const string Machine = "machine";
    public const string Pending = "pending";
    public const string Untranslated = "untranslated";

    public sealed record Source(string Field, string Text);

    /// <summary>The languages a report in <paramref name="language"/> is rendered into.</summary>
    public IEnumerable<string> TargetsOf(string language) => glossary.Languages.Where(l => l != language);

    /// <summary>The free-text fields of a report that an engine translates; absent or blank ones are left out.</summary>
    public static IReadOnlyList<Source> FreeText(ReportSubmitted report) =>
        new[] { new Source("title", report.Title), new Source("summary", report.Summary), new Source("timeline.mitigations", report.Mitigations ?? "") }
            .Where(s => !string.IsNullOrWhiteSpace(s.Text)).ToList();

    /// <summary>The controlled fields, rendered from the glossary (or untranslated where it has no rendering).</summary>
    public IReadOnlyList<FieldTranslation> Controlled(ReportSubmitted report, string target, DateTimeOffset now) =>
        new[] { new Source("category", report.Category), new Source("kind", report.Kind) }.Select(source =>
        {
            var text = glossary.Render($"{source.Field}:{source.Text}", target);
            return new FieldTranslation(source.Field, report.Language, target, text, text is null ? Untranslated : FromGlossary,
                text is null ? "none" : FromGlossary, Hash(source.Text), TranslatedAt: text is null ? null : now);
        }).ToList();

    public static string Hash(string text) => FieldTranslation.HashOf(text);
}
