using System.Text.RegularExpressions;

namespace IncidentExchange.Translation.Glossary;

/// <summary>
/// Holds a machine translation of free text to the glossary: for every <c>term:</c> the source contains, the agreed
/// rendering must be in the output. A rendering the glossary lists under <c>avoid</c> is replaced by the agreed one
/// (corrected); otherwise a missing term is flagged. Notes say which, so the reader and the reviewer see it.
/// </summary>
public static class GlossaryCheck
{
    public sealed record Result(string Text, IReadOnlyList<string> Notes);

    public static Result Apply(Glossary glossary, string source, string sourceLanguage, string output, string targetLanguage)
    {
        var notes = new List<string>();
        foreach (var term in glossary.FreeTextTerms)
        {
            if (!term.Renderings.TryGetValue(sourceLanguage, out var said) || !term.Renderings.TryGetValue(targetLanguage, out var agreed))
                continue;
            if (!Contains(source, said) || Contains(output, agreed))
                continue;
            var wrong = term.Avoid.GetValueOrDefault(targetLanguage)?.FirstOrDefault(w => output.Contains(w, StringComparison.OrdinalIgnoreCase));
            if (wrong is not null)
            {
                output = Regex.Replace(output, Regex.Escape(wrong), agreed.Replace("$", "$$"), RegexOptions.IgnoreCase);
                notes.Add($"corrected: \"{wrong}\" → \"{agreed}\" ({term.Key})");
            }
            else
            {
                notes.Add($"missing: \"{said}\" should be rendered \"{agreed}\" ({term.Key})");
            }
        }
        return new Result(output, notes);
    }

    /// <summary>
    /// Whether a text uses a term. Latin terms match without regard to case or hyphens and by their stem, so that
    /// "jailbroken" uses "jailbreak" and "red team" uses "red-teaming"; Chinese terms match as written.
    /// </summary>
    private static bool Contains(string text, string term)
    {
        if (!term.Any(char.IsAsciiLetter))
            return text.Contains(term, StringComparison.Ordinal);
        var normalised = term.Replace('-', ' ');
        var stem = normalised.Length > 6 ? normalised[..^3] : normalised;
        return text.Replace('-', ' ').Contains(stem, StringComparison.OrdinalIgnoreCase);
    }
}
