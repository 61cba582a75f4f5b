using IncidentExchange.ServiceDefaults;

namespace IncidentExchange.Alerts.Stamps;

/// <summary>
/// The escalation ladder of the severity rule set (protocols/severity/): whom to notify, and when, once a stamp's limit
/// has passed. The limits themselves come with each assessment from the rule set in force (Severity decides which);
/// these, of the protocol's rule set, apply only to alerts raised from messages that did not carry them. A newly agreed
/// rule set's ladder does not reach Alerts yet: it escalates by the protocol's.
/// </summary>
public sealed class StampRules
{
    public sealed record Step(int AfterMinutes, string Role);

    private sealed record LevelEntry(int Level, int? AcknowledgeWithinMinutes, int? RespondWithinMinutes);

    private sealed record File(string Version, List<LevelEntry> Levels, List<Step> Escalation);

    private readonly File _file;

    private StampRules(File file) => _file = file;

    public static StampRules Load() => new(ProtocolFiles.Read<File>(typeof(StampRules).Assembly, "severity/rule-set.v1.json"));

    public string Version => _file.Version;

    public IReadOnlyList<Step> Ladder => _file.Escalation;

    public (DateTimeOffset? Acknowledge, DateTimeOffset? Respond) DueTimes(int level, DateTimeOffset delivered)
    {
        var entry = _file.Levels.SingleOrDefault(l => l.Level == level);
        return (At(entry?.AcknowledgeWithinMinutes), At(entry?.RespondWithinMinutes));
        DateTimeOffset? At(int? minutes) => minutes is { } m ? delivered.AddMinutes(m) : null;
    }
}
