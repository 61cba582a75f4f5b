namespace IncidentExchange.Contracts.Translation;

/// <summary>
/// Translations of a report's fields into the other parties' languages, or news of them: first what the glossary
/// renders at once and what waits for the engine (<c>pending</c>), later the engine's renderings. Each field's
/// translation is identified by the source text it was made from (<see cref="FieldTranslation.SourceHash"/>).
/// </summary>
public sealed record ReportTranslated(Guid ReportId, int Version, IReadOnlyList<FieldTranslation> Fields);

/// <summary>One field rendered in one target language.</summary>
/// <param name="Field">The report field: <c>category</c>, <c>kind</c> (glossary), <c>title</c>, <c>summary</c>, <c>timeline.mitigations</c> (free text).</param>
/// <param name="Status">
/// <c>glossary</c> — agreed vocabulary; <c>machine</c> — an engine's translation; <c>pending</c> — the engine has not
/// rendered it yet (Text null); <c>untranslated</c> — no engine is configured, or the glossary has no rendering (Text null).
/// </param>
/// <param name="Engine">What produced the text: <c>glossary</c>, <c>none</c>, or an engine's name.</param>
/// <param name="SourceHash">SHA-256 (hex) of the source text, so a changed source shows the translation is stale.</param>
/// <param name="Model">The engine's model, where known.</param>
/// <param name="GlossaryNotes">Glossary terms the engine rendered otherwise: corrected, or flagged as missing.</param>
/// <param name="TranslatedAt">When the text was produced.</param>
public sealed record FieldTranslation(
    string Field,
    string SourceLanguage,
    string TargetLanguage,
    string? Text,
    string Status,
    string Engine,
    string SourceHash,
    string? Model = null,
    IReadOnlyList<string>? GlossaryNotes = null,
    DateTimeOffset? TranslatedAt = null)
{
    /// <summary>The <see cref="SourceHash"/> of a text: SHA-256 of its UTF-8 bytes, lower-case hex. Both sides compute it alike.</summary>
    public static string HashOf(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
