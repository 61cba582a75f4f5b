using IncidentExchange.ServiceDefaults;

namespace IncidentExchange.Triage.Classification;

/// <summary>The outcome of classifying a report's text.</summary>
/// <param name="Signals">Signal codes whose keywords occur in the text, sorted.</param>
/// <param name="SuggestedCategory">The category the signals point to most, when the reporter chose "other" or none of the signals agree with the reporter's category.</param>
public sealed record Classification(IReadOnlyList<string> Signals, string? SuggestedCategory);

/// <summary>Classifies a report from its category and the keyword signals of protocols/triage/signals.json.</summary>
public sealed class Classifier
{
    private sealed record SignalFile(List<Signal> Signals);
    public sealed record Signal(string Code, string? Category, List<string> Keywords);

    private readonly IReadOnlyList<Signal> _signals;

    public Classifier() : this(ProtocolFiles.Read<SignalFile>(typeof(Classifier).Assembly, "triage/signals.json").Signals) { }

    public Classifier(IReadOnlyList<Signal> signals) => _signals = signals;

    public Classification Classify(string category, string title, string summary)
    {
        var text = $"{title}\n{summary}";
        var matched = _signals
            .Where(s => s.Keywords.Any(k => text.Contains(k, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var pointedTo = matched.Where(s => s.Category is not null).Select(s => s.Category!).ToList();

        string? suggested = null;
        if (pointedTo.Count > 0 && !pointedTo.Contains(category))
            suggested = pointedTo.GroupBy(c => c).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;

        return new Classification(matched.Select(s => s.Code).Order(StringComparer.Ordinal).ToList(), suggested);
    }
}
