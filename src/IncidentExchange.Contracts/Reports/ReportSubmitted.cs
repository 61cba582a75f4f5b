namespace IncidentExchange.Contracts.Reports;

/// <summary>
/// A report was accepted and stored by the Reports service. Carries what triage, translation and severity need,
/// so that they do not call back; the bus is internal and the report never leaves its home party through it.
/// </summary>
public sealed record ReportSubmitted(
    Guid ReportId,
    int Version,
    string Party,
    Guid OrganisationId,
    string Category,
    string Language,
    string Title,
    string Summary,
    string Tlp,
    bool Exercise,
    DateTimeOffset SubmittedAt);
