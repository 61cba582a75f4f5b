using IncidentExchange.Translation.Engines;
using IncidentExchange.Translation.Glossary;

namespace IncidentExchange.Translation.Translating;

/// <summary>
/// Puts free text through the engine: only the pieces between protected spans are sent (one request for all of a
/// report's texts), the spans are put back unchanged, and the result is held to the glossary.
/// </summary>
public sealed class MachineTranslator(ITranslationEngine engine, Glossary.Glossary glossary)
{
    public sealed record Item(string Text, IReadOnlyList<string> ProtectedNames);

    public sealed record Result(string Text, IReadOnlyList<string> GlossaryNotes);

    public string EngineName => engine.Name;

    public string? Model => engine.Model;

    /// <exception cref="TranslationEngineException">The engine failed; nothing is half-translated.</exception>
    public async Task<IReadOnlyList<Result>> TranslateAsync(IReadOnlyList<Item> items, string sourceLanguage, string targetLanguage, CancellationToken cancellationToken)
    {
        var split = items.Select(item => ProtectedSpans.Split(item.Text, glossary.ProtectedLabels, item.ProtectedNames)).ToList();
        var pieces = split.SelectMany(segments => segments.Where(Translatable).Select(s => s.Text.Trim())).ToList();
        var translated = pieces.Count == 0 ? [] : await engine.TranslateAsync(pieces, sourceLanguage, targetLanguage, cancellationToken);

        var next = 0;
        return items.Select((item, i) =>
        {
            var text = string.Concat(split[i].Select(segment => Translatable(segment)
                ? Leading(segment.Text) + translated[next++].Trim() + Trailing(segment.Text)
                : segment.Text));
            var checkedText = GlossaryCheck.Apply(glossary, item.Text, sourceLanguage, text, targetLanguage);
            return new Result(checkedText.Text, checkedText.Notes);
        }).ToList();
    }

    private static bool Translatable(ProtectedSpans.Segment segment) =>
        !segment.IsProtected && segment.Text.Any(char.IsLetter);

    private static string Leading(string text) => text[..(text.Length - text.TrimStart().Length)];

    private static string Trailing(string text) => text[text.TrimEnd().Length..];
}
