using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentExchange.ServiceDefaults;

namespace IncidentExchange.Severity.Rules;

/// <summary>A severity level with its agreed labels.</summary>
public sealed record Level(int Value, string En, string Zh);

/// <summary>
/// A severity rule set (protocols/severity/rule-set.v1.json is the first): a base level per category, raised by
/// triage signals, capped; per level, how soon alerts must be acknowledged and answered; the escalation ladder.
/// Which version is in force is decided by the two parties' approvals (<see cref="RuleSetStore"/>).
/// </summary>
public sealed class RuleSet
{
    public const int MaxVersionLength = 16;
    public static readonly string[] EscalationRoles = ["ncp-duty", "ncp-officer", "admin"];

    private sealed record File(
        string Version,
        List<LevelEntry> Levels,
        Dictionary<string, int> BaseLevelByCategory,
        Dictionary<string, int> RaiseBySignal,
        int MaximumLevel,
        List<Step>? Escalation,
        Dictionary<string, int>? AdjustByKind);

    private sealed record LevelEntry(
        int Level, string En, [property: JsonPropertyName("zh-Hans")] string ZhHans, int? AcknowledgeWithinMinutes, int? RespondWithinMinutes,
        int? NotifyCounterpartWithinHours);

    private sealed record Step(int AfterMinutes, string Role);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly File _file;

    private RuleSet(File file) => _file = file;

    /// <summary>The rule set shipped in protocols/severity/, in force until the parties agree on another.</summary>
    public static RuleSet Load() => FromFile(ProtocolFiles.Read<File>(typeof(RuleSet).Assembly, "severity/rule-set.v1.json"));

    public static string ProtocolDocument()
    {
        using var stream = typeof(RuleSet).Assembly.GetManifestResourceStream("protocols/severity/rule-set.v1.json")!;
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>Reads a rule-set document, or says everything that is wrong with it.</summary>
    public static RuleSet? Parse(string json, out IReadOnlyList<string> errors)
    {
        File? file;
        try
        {
            file = JsonSerializer.Deserialize<File>(json, Json);
        }
        catch (JsonException e)
        {
            errors = [$"Not a rule-set document: {e.Message}"];
            return null;
        }
        errors = file is null ? ["Not a rule-set document."] : Validate(file);
        return errors.Count == 0 ? new RuleSet(file!) : null;
    }

    private static RuleSet FromFile(File file)
    {
        var errors = Validate(file);
        return errors.Count == 0 ? new RuleSet(file) : throw new InvalidOperationException($"Rule set {file.Version}: {string.Join(" ", errors)}");
    }

    private static List<string> Validate(File file)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(file.Version) || file.Version.Length > MaxVersionLength)
            errors.Add($"version is required, at most {MaxVersionLength} characters.");
        if (file.MaximumLevel is < 1 or > 9)
            errors.Add("maximumLevel must be between 1 and 9.");
        if (file.Levels is null || !file.Levels.Select(l => l.Level).Order().SequenceEqual(Enumerable.Range(1, file.MaximumLevel)))
            errors.Add($"levels must label every level from 1 to maximumLevel ({file.MaximumLevel}), once each.");
        else if (file.Levels.Any(l => string.IsNullOrWhiteSpace(l.En) || string.IsNullOrWhiteSpace(l.ZhHans)))
            errors.Add("every level needs an en and a zh-Hans label.");
        if (file.Levels?.Any(l => l.AcknowledgeWithinMinutes <= 0 || l.RespondWithinMinutes <= 0 || l.NotifyCounterpartWithinHours <= 0) == true)
            errors.Add("acknowledgeWithinMinutes, respondWithinMinutes and notifyCounterpartWithinHours must be positive (or null: no limit).");
        if (file.BaseLevelByCategory is null || !file.BaseLevelByCategory.ContainsKey("other"))
            errors.Add("baseLevelByCategory must give a level for \"other\".");
        else if (file.BaseLevelByCategory.Values.Any(v => v < 1 || v > file.MaximumLevel))
            errors.Add("base levels must lie between 1 and maximumLevel.");
        if (file.RaiseBySignal is null)
            errors.Add("raiseBySignal is required (it may be empty).");
        if (file.Escalation is { } ladder && (ladder.Any(s => s.AfterMinutes < 0 || !EscalationRoles.Contains(s.Role))
                                              || !ladder.Select(s => s.AfterMinutes).SequenceEqual(ladder.Select(s => s.AfterMinutes).Order())))
            errors.Add($"escalation steps need afterMinutes ≥ 0 in ascending order and a role among: {string.Join(", ", EscalationRoles)}.");
        return errors;
    }

    public string Version => _file.Version;

    /// <summary>
    /// The level for a category (unknown categories count as "other"), raised by each of the signals triage found in the
    /// text and the report's impact facts (one vocabulary: a fact in both counts once), adjusted by the report's kind.
    /// </summary>
    public Level Assess(string category, IEnumerable<string> signals, string? kind = null, IEnumerable<string>? impactIndicators = null)
    {
        var level = _file.BaseLevelByCategory.GetValueOrDefault(category, _file.BaseLevelByCategory["other"]);
        level += signals.Union(impactIndicators ?? []).Sum(signal => _file.RaiseBySignal.GetValueOrDefault(signal));
        level += kind is null ? 0 : _file.AdjustByKind?.GetValueOrDefault(kind) ?? 0;
        level = Math.Clamp(level, 1, _file.MaximumLevel);
        var labels = _file.Levels.Single(l => l.Level == level);
        return new Level(level, labels.En, labels.ZhHans);
    }

    /// <summary>The escalation ladder: whom to notify, how long after a limit has passed.</summary>
    public IReadOnlyList<Contracts.Severity.EscalationStep> Ladder =>
        (_file.Escalation ?? []).Select(s => new Contracts.Severity.EscalationStep(s.AfterMinutes, s.Role)).ToList();

    /// <summary>How soon an alert of a level must be acknowledged and answered, and the counterpart notified; null: no limit.</summary>
    public (int? AcknowledgeWithinMinutes, int? RespondWithinMinutes, int? NotifyCounterpartWithinHours) LimitsFor(int level) =>
        _file.Levels.SingleOrDefault(l => l.Level == level) is { } entry
            ? (entry.AcknowledgeWithinMinutes, entry.RespondWithinMinutes, entry.NotifyCounterpartWithinHours)
            : (null, null, null);
}
