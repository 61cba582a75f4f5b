namespace IncidentExchange.Contracts.Translation;

/// <summary>Translations of a report version's fields into the other parties' languages.</summary>
public sealed record ReportTranslated(Guid ReportId, int Version, IReadOnlyList<FieldTranslation> Fields);

/// <summary>One field rendered in one target language.</summary>
/// <param name="Field">The report field, e.g. <c>category</c>, <c>title</c>.</param>
/// <param name="Status"><c>translated</c>; <c>protected</c> for text that is never translated (TLP labels), given as is; <c>untranslated</c> when no engine rendered it (then Text is null).</param>
/// <param name="Engine">What produced the text: <c>glossary</c>, <c>none</c>, or an engine's name.</param>
/// <param name="SourceHash">SHA-256 (hex) of the source text, so a changed source shows the translation is stale.</param>
public sealed record FieldTranslation(
    string Field,
    string SourceLanguage,
    string TargetLanguage,
    string? Text,
    string Status,
    string Engine,
    string SourceHash);
