using IncidentExchange.ServiceDefaults;

namespace IncidentExchange.Translation.Glossary;

/// <summary>The agreed bilingual vocabulary of protocols/glossary/glossary.json.</summary>
public sealed class Glossary
{
    private sealed record File(
        List<string> Languages,
        List<string> Protected,
        Dictionary<string, Dictionary<string, string>> Terms,
        Dictionary<string, Dictionary<string, List<string>>>? Avoid);

    /// <summary>A term of the field that free text may contain, with its agreed rendering in each language.</summary>
    public sealed record FreeTextTerm(string Key, IReadOnlyDictionary<string, string> Renderings, IReadOnlyDictionary<string, List<string>> Avoid);

    private readonly File _file;

    private Glossary(File file)
    {
        _file = file;
        FreeTextTerms = file.Terms.Where(t => t.Key.StartsWith("term:", StringComparison.Ordinal))
            .Select(t => new FreeTextTerm(t.Key, t.Value, file.Avoid?.GetValueOrDefault(t.Key) ?? []))
            .ToList();
    }

    public static Glossary Load() => new(ProtocolFiles.Read<File>(typeof(Glossary).Assembly, "glossary/glossary.json"));

    /// <summary>The languages of the exchange.</summary>
    public IReadOnlyList<string> Languages => _file.Languages;

    /// <summary>Labels that are never translated, such as the TLP 2.0 labels.</summary>
    public IReadOnlyList<string> ProtectedLabels => _file.Protected;

    /// <summary>The <c>term:</c> entries, which machine translations of free text are held to.</summary>
    public IReadOnlyList<FreeTextTerm> FreeTextTerms { get; }

    /// <summary>The agreed rendering of a term (e.g. <c>category:weights-leak</c>) in a language, or null when there is none.</summary>
    public string? Render(string key, string language) =>
        _file.Terms.TryGetValue(key, out var renderings) && renderings.TryGetValue(language, out var text) ? text : null;
}
