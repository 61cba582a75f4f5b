namespace IncidentExchange.Contracts.Severity;

/// <summary>A report was assessed against the rule set in force.</summary>
/// <param name="Level">1 (lowest) to 5 (highest).</param>
/// <param name="AcknowledgeWithinMinutes">The rule set's limit for acknowledging alerts of this level (null: none, or an older message).</param>
/// <param name="RespondWithinMinutes">The rule set's limit for the first substantive reply (null: none, or an older message).</param>
/// <param name="NotifyCounterpartWithinHours">Whether, and how soon, the home contact point must notify the counterpart of a report of this level (null: no obligation).</param>
/// <param name="Escalation">The rule set's escalation ladder, which Alerts keeps with the alert (absent from older messages).</param>
/// <param name="IncidentId">The incident triage linked the report to, passed on so that Alerts can group a storm of alerts.</param>
public sealed record SeverityAssessed(
    Guid ReportId,
    int Version,
    string Party,
    int Level,
    string LabelEn,
    string LabelZh,
    string RuleSetVersion,
    string Category,
    string Title,
    bool Exercise,
    DateTimeOffset AssessedAt,
    int? AcknowledgeWithinMinutes = null,
    int? RespondWithinMinutes = null,
    Guid? IncidentId = null,
    int? NotifyCounterpartWithinHours = null,
    IReadOnlyList<EscalationStep>? Escalation = null);

/// <summary>A step of the rule set's escalation ladder: whom to notify, how long after a stamp's limit has passed.</summary>
public sealed record EscalationStep(int AfterMinutes, string Role);
