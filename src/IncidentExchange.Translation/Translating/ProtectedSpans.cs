using System.Text.RegularExpressions;

namespace IncidentExchange.Translation.Translating;

/// <summary>
/// Cuts a text into the pieces an engine may translate and the spans it must never touch: TLP labels and other
/// protected labels of the glossary, URLs, e-mail addresses, code in backticks, hashes and other long hex strings, CVE
/// ids, and the names the report gives (model, developer). Only the pieces between them are sent to an engine, so
/// that a protected span comes back byte for byte — an engine cannot mangle what it never sees.
/// </summary>
public static partial class ProtectedSpans
{
    public sealed record Segment(string Text, bool IsProtected);

    // Boundaries are spelled out for Latin letters and digits: .NET counts Chinese characters as word characters, so
    // \b would not separate "见https://…" or "哈希3f78…".
    [GeneratedRegex("""```[\s\S]*?```|`[^`\r\n]+`|(?<![A-Za-z])https?://[^\s<>"'，。）]*[^\s<>"'，。）.,;:!?)]|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|(?<![0-9A-Za-z])[0-9a-fA-F]{16,}(?![0-9A-Za-z])|(?<![A-Za-z])CVE-\d{4}-\d{4,}(?!\d)""")]
    private static partial Regex Patterns();

    public static IReadOnlyList<Segment> Split(string text, IEnumerable<string> labels, IEnumerable<string?> names)
    {
        var spans = new List<(int Start, int End)>();
        foreach (Match match in Patterns().Matches(text))
            spans.Add((match.Index, match.Index + match.Length));
        foreach (var literal in labels.Concat(names).Where(IsWorthProtecting).Select(n => n!.Trim()).Distinct())
            for (var at = text.IndexOf(literal, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(literal, at + 1, StringComparison.OrdinalIgnoreCase))
                if (!InsideWord(text, at, at + literal.Length))
                    spans.Add((at, at + literal.Length));

        // Overlapping spans become one; the text between them is what the engine translates.
        var segments = new List<Segment>();
        var position = 0;
        foreach (var (start, end) in spans.OrderBy(s => s.Start).ThenByDescending(s => s.End))
        {
            if (end <= position)
                continue;
            var from = Math.Max(start, position);
            if (from > position)
                segments.Add(new Segment(text[position..from], false));
            if (from == start || segments.Count == 0 || !segments[^1].IsProtected)
                segments.Add(new Segment(text[from..end], true));
            else
                segments[^1] = segments[^1] with { Text = segments[^1].Text + text[from..end] };
            position = end;
        }
        if (position < text.Length)
            segments.Add(new Segment(text[position..], false));
        return segments;
    }

    /// <summary>"Meta" in "metadata": a Latin name continued by Latin letters or digits is part of another word.</summary>
    private static bool InsideWord(string text, int start, int end) =>
        (start > 0 && char.IsAsciiLetterOrDigit(text[start - 1]) && char.IsAsciiLetterOrDigit(text[start]))
        || (end < text.Length && char.IsAsciiLetterOrDigit(text[end]) && char.IsAsciiLetterOrDigit(text[end - 1]));

    /// <summary>"unknown", one letter or a bare number would protect ordinary words; real names are longer.</summary>
    private static bool IsWorthProtecting(string? name) =>
        name is not null && name.Trim().Length >= 2 && !name.Trim().Equals("unknown", StringComparison.OrdinalIgnoreCase)
        && !name.Trim().All(char.IsDigit);
}
