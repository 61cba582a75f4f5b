using System.Security.Cryptography;
using System.Text;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Translation;

namespace IncidentExchange.Translation.Translating;

/// <summary>
/// Renders a report's fields into every other language of the exchange. Controlled vocabulary comes from the glossary;
/// TLP labels stay in English; free text is marked untranslated until a translation engine is configured
/// (the bilingual issue adds engines): never copied across as if it were a translation.
/// </summary>
public sealed class ReportTranslator(Glossary.Glossary glossary)
{
    public const string Translated = "translated";
    public const string Protected = "protected";
    public const string Untranslated = "untranslated";

    public IReadOnlyList<FieldTranslation> Translate(ReportSubmitted report)
    {
        var fields = new List<FieldTranslation>();
        foreach (var target in glossary.Languages.Where(l => l != report.Language))
        {
            var category = glossary.Render($"category:{report.Category}", target);
            fields.Add(new FieldTranslation("category", report.Language, target, category,
                category is null ? Untranslated : Translated, category is null ? "none" : "glossary", Hash(report.Category)));

            var tlp = $"TLP:{report.Tlp}";
            fields.Add(glossary.IsProtected(tlp)
                ? new FieldTranslation("tlp", report.Language, target, tlp, Protected, "glossary", Hash(tlp))
                : new FieldTranslation("tlp", report.Language, target, null, Untranslated, "none", Hash(tlp)));

            fields.Add(new FieldTranslation("title", report.Language, target, null, Untranslated, "none", Hash(report.Title)));
            fields.Add(new FieldTranslation("summary", report.Language, target, null, Untranslated, "none", Hash(report.Summary)));
        }
        return fields;
    }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
