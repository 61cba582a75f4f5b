using System.Text.Json;
using IncidentExchange.Alerts.Data;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.ServiceDefaults;

namespace IncidentExchange.Alerts.Stamps;

/// <summary>
/// The stamps' limits and escalation ladder of the protocol's severity rule set (protocols/severity/). The limits and
/// ladder in force come with each assessment from the rule set the parties agreed (Severity decides which);
/// these, of the protocol's rule set, apply only to alerts raised from messages that did not carry them. Each alert
/// keeps the ladder it was raised under.
/// </summary>
public sealed class StampRules
{
    private sealed record LevelEntry(int Level, int? AcknowledgeWithinMinutes, int? RespondWithinMinutes);

    private sealed record File(string Version, List<LevelEntry> Levels, List<EscalationStep> Escalation);

    /// <summary>How a ladder is kept with an alert: <c>[{"afterMinutes": 0, "role": "ncp-duty"}, …]</c>.</summary>
    public static readonly JsonSerializerOptions LadderJson = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<EscalationStep> LadderOf(Alert alert) =>
        JsonSerializer.Deserialize<List<EscalationStep>>(alert.EscalationLadder, LadderJson) ?? [];

    private readonly File _file;

    private StampRules(File file) => _file = file;

    public static StampRules Load() => new(ProtocolFiles.Read<File>(typeof(StampRules).Assembly, "severity/rule-set.v1.json"));

    public string Version => _file.Version;

    /// <summary>The protocol's ladder, for alerts whose assessment did not carry one.</summary>
    public IReadOnlyList<EscalationStep> Ladder => _file.Escalation;

    public (DateTimeOffset? Acknowledge, DateTimeOffset? Respond) DueTimes(int level, DateTimeOffset delivered)
    {
        var entry = _file.Levels.SingleOrDefault(l => l.Level == level);
        return (At(entry?.AcknowledgeWithinMinutes), At(entry?.RespondWithinMinutes));
        DateTimeOffset? At(int? minutes) => minutes is { } m ? delivered.AddMinutes(m) : null;
    }
}
