namespace IncidentExchange.Contracts.Triage;

/// <summary>Triage classified a report: its category and the signals found in its text.</summary>
/// <param name="Signals">Codes of the triage signals that matched (see protocols/triage/signals.json), sorted.</param>
/// <param name="SuggestedCategory">A category the text points to when it differs from the reporter's, else null.</param>
/// <param name="IncidentId">The incident triage linked the report to (officers may move it later: the Triage API has the
/// current link). Absent from messages written before grouping existed.</param>
/// <param name="Kind">The report's kind (incident, hazard, near-miss), passed on for the severity rules.</param>
/// <param name="ImpactIndicators">The report's impact facts in the signal vocabulary (casualties, critical-infrastructure,
/// non-state-actor, ongoing-exploitation), passed on for the severity rules.</param>
public sealed record ReportTriaged(
    Guid ReportId,
    int Version,
    string Party,
    string Category,
    string? SuggestedCategory,
    IReadOnlyList<string> Signals,
    string Title,
    bool Exercise,
    DateTimeOffset TriagedAt,
    Guid? IncidentId = null,
    string? Kind = null,
    IReadOnlyList<string>? ImpactIndicators = null);
