using IncidentExchange.ServiceDefaults;

namespace IncidentExchange.Alerts.Stamps;

/// <summary>
/// The time limits of the stamps and the escalation ladder, from the severity rule set (protocols/severity/): how soon
/// an alert of each level must be acknowledged and responded to, and whom to notify, and when, once a limit has passed.
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
