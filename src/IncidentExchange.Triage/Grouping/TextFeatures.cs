using System.Text.RegularExpressions;
using IncidentExchange.ServiceDefaults;

namespace IncidentExchange.Triage.Grouping;

/// <summary>
/// What a report's text says that can be compared across English and Chinese: the proper names and identifiers it
/// writes in Latin script (model, company and site names, CVE numbers — Chinese reports write these in Latin too), and
/// the concepts of protocols/triage/concepts.json it mentions.
/// </summary>
public sealed partial class TextFeatures
{
    private sealed record ConceptFile(List<Concept> Concepts);
    public sealed record Concept(string Code, List<string> Terms);

    // Capitalised words that name no one thing: they would make unrelated reports look alike.
    private static readonly HashSet<string> CommonWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ai", "llm", "llms", "api", "apis", "gpu", "url", "it", "ceo", "cfo", "cto", "tlp", "pii", "ip",
        "us", "usa", "uk", "eu", "cn", "prc", "un", "china", "chinese", "american", "united", "states", "english", "internet",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    };

    private readonly IReadOnlyList<(string Code, Regex? Latin, string[] Chinese)> _concepts;

    public TextFeatures() : this(ProtocolFiles.Read<ConceptFile>(typeof(TextFeatures).Assembly, "triage/concepts.json").Concepts) { }

    public TextFeatures(IReadOnlyList<Concept> concepts) =>
        _concepts = concepts.Select(c =>
        {
            var latin = c.Terms.Where(t => t.All(char.IsAscii)).ToList();
            return (c.Code,
                latin.Count == 0 ? null : new Regex($@"\b(?:{string.Join('|', latin.Select(Regex.Escape))})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
                c.Terms.Where(t => !t.All(char.IsAscii)).ToArray());
        }).ToList();

    /// <summary>Codes of the concepts the text mentions, sorted.</summary>
    public string[] ConceptsOf(string text) =>
        _concepts.Where(c => (c.Latin?.IsMatch(text) ?? false) || c.Chinese.Any(term => text.Contains(term, StringComparison.Ordinal)))
            .Select(c => c.Code).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The names in a text, lower case, sorted. A Latin word is a name when it is written like one: with a digit
    /// (GPT-4, 4chan, CVE-2023-1234), with a capital after its first letter (ChatGPT, LLaMA), or capitalised but not
    /// starting its sentence (Samsung, Arup); in a sentence written in Chinese, every Latin word of three letters or more.
    /// </summary>
    public static string[] NamesOf(string text)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var sentence in SentenceBreak().Split(text))
        {
            var chinese = sentence.Any(IsHan);
            var first = true;
            foreach (Match word in LatinWord().Matches(sentence))
            {
                var w = word.Value;
                var isName = w.Any(char.IsDigit) && w.Any(char.IsLetter)
                    || w.Skip(1).Any(char.IsUpper)
                    || char.IsUpper(w[0]) && !first
                    || chinese && w.Length >= 3;
                first = false;
                if (isName && w.Length >= 2 && !CommonWords.Contains(w))
                    names.Add(w.ToLowerInvariant());
            }
        }
        return [.. names];
    }

    // What reporters write when they do not know the model or its developer: two such reports have nothing in common.
    private static readonly HashSet<string> Unknown = ["unknown", "unknownmodel", "unknowndeveloper", "na", "none", "various", "other", "未知", "不明", "不详"];

    /// <summary>
    /// A model or developer name reduced to lower-case letters and digits ("GPT-4" and "gpt4" agree); null when nothing
    /// is left or the name says it is not known.
    /// </summary>
    public static string? KeyOf(string? name)
    {
        var key = new string((name ?? "").Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return key.Length == 0 || Unknown.Contains(key) ? null : key;
    }

    private static bool IsHan(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf';

    [GeneratedRegex(@"[.!?;]+(?:\s+|$)|[。！？；\n]+\s*")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")]
    private static partial Regex LatinWord();
}
