namespace IncidentExchange.Contracts.Reports;

/// <summary>
/// A report, or a new version of one (<c>Version</c> &gt; 1), was accepted and stored by the Reports service. Carries what triage, translation and severity need,
/// so that they do not call back; the bus is internal and the report never leaves its home party through it.
/// The model, occurrence time and indicator hashes (what triage groups reports into incidents by) and the mitigations
/// (free text that translation renders) and the impact indicators (the report's impact facts that the severity rules
/// read: see protocols/messages.md) are absent from messages written before they were added; consumers treat them as unknown.
/// </summary>
public sealed record ReportSubmitted(
    Guid ReportId,
    int Version,
    string Party,
    Guid OrganisationId,
    string Category,
    string Kind,
    string Language,
    string Title,
    string Summary,
    string Tlp,
    bool Exercise,
    DateTimeOffset SubmittedAt,
    string? ModelName = null,
    string? ModelDeveloper = null,
    DateTimeOffset? OccurredAt = null,
    IReadOnlyList<string>? IndicatorHashes = null,
    string? Mitigations = null,
    IReadOnlyList<string>? ImpactIndicators = null);
