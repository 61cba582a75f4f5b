using IncidentExchange.ServiceDefaults;

namespace IncidentExchange.Translation.Glossary;

/// <summary>The agreed bilingual vocabulary of protocols/glossary/glossary.json.</summary>
public sealed class Glossary
{
    private sealed record File(List<string> Languages, List<string> Protected, Dictionary<string, Dictionary<string, string>> Terms);

    private readonly File _file;

    private Glossary(File file) => _file = file;

    public static Glossary Load() => new(ProtocolFiles.Read<File>(typeof(Glossary).Assembly, "glossary/glossary.json"));

    /// <summary>The languages of the exchange.</summary>
    public IReadOnlyList<string> Languages => _file.Languages;

    /// <summary>Labels that are never translated, such as the TLP 2.0 labels.</summary>
    public bool IsProtected(string text) => _file.Protected.Contains(text, StringComparer.Ordinal);

    /// <summary>The agreed rendering of a term (e.g. <c>category:weights-leak</c>) in a language, or null when there is none.</summary>
    public string? Render(string key, string language) =>
        _file.Terms.TryGetValue(key, out var renderings) && renderings.TryGetValue(language, out var text) ? text : null;
}
