using IncidentExchange.ServiceDefaults;

namespace IncidentExchange.Severity.Rules;

/// <summary>A severity level with its agreed labels.</summary>
public sealed record Level(int Value, string En, string Zh);

/// <summary>
/// The severity rule set of protocols/severity/: a base level per category, raised by triage signals, capped.
/// </summary>
public sealed class RuleSet
{
    private sealed record File(
        string Version,
        List<LevelEntry> Levels,
        Dictionary<string, int> BaseLevelByCategory,
        Dictionary<string, int> RaiseBySignal,
        int MaximumLevel);

    private sealed record LevelEntry(int Level, string En, [property: System.Text.Json.Serialization.JsonPropertyName("zh-Hans")] string ZhHans);

    private readonly File _file;

    private RuleSet(File file)
    {
        if (file.Levels.Select(l => l.Level).Order().SequenceEqual(Enumerable.Range(1, file.MaximumLevel)) is false)
            throw new InvalidOperationException($"Rule set {file.Version} must label every level from 1 to {file.MaximumLevel}.");
        _file = file;
    }

    public static RuleSet Load() => new(ProtocolFiles.Read<File>(typeof(RuleSet).Assembly, "severity/rule-set.v1.json"));

    public string Version => _file.Version;

    /// <summary>The level for a category (unknown categories count as "other") and the signals triage found.</summary>
    public Level Assess(string category, IEnumerable<string> signals)
    {
        var level = _file.BaseLevelByCategory.GetValueOrDefault(category, _file.BaseLevelByCategory["other"]);
        level += signals.Distinct().Sum(signal => _file.RaiseBySignal.GetValueOrDefault(signal));
        level = Math.Clamp(level, 1, _file.MaximumLevel);
        var labels = _file.Levels.Single(l => l.Level == level);
        return new Level(level, labels.En, labels.ZhHans);
    }
}
