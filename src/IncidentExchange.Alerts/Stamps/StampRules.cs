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

    /// <summary>The clocks of an alert not stamped yet, with their limits: each escalates by the alert's ladder once past its limit.</summary>
    public static IEnumerable<(string Stamp, DateTimeOffset Due)> OpenClocks(Alert alert)
    {
        if (alert.AcknowledgedAt is null && alert.AcknowledgeDueAt is { } acknowledge)
            yield return (Stamping.Acknowledged, acknowledge);
        if (alert.RespondedAt is null && alert.RespondDueAt is { } respond)
            yield return (Stamping.Responded, respond);
        if (alert.CounterpartNotifiedAt is null && alert.NotifyCounterpartDueAt is { } notify)
            yield return (Stamping.CounterpartNotified, notify);
    }

    /// <summary>
    /// When the alert's next escalation step falls due (<see cref="Alert.NextEscalationAt"/>): the earliest step of an open
    /// clock that is not <paramref name="recorded"/>; null if there is none, or if the alert is folded under another.
    /// </summary>
    public static DateTimeOffset? NextEscalationAt(Alert alert, IReadOnlyList<EscalationStep> ladder, Func<string, int, bool> recorded) =>
        alert.GroupedUnder is not null
            ? null
            : OpenClocks(alert)
                .SelectMany(clock => ladder.Select((step, index) => (clock.Stamp, Index: index, At: clock.Due.AddMinutes(step.AfterMinutes))))
                .Where(step => !recorded(step.Stamp, step.Index))
                .Select(step => (DateTimeOffset?)step.At)
                .Min();

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
