namespace IncidentExchange.Contracts.Reports;

/// <summary>
/// A home contact point released a version of a report to the counterpart party. Carries only what the counterpart's
/// alert shows (the title is a released field; the rest is read through the API under the release's TLP).
/// </summary>
public sealed record ReportReleased(
    Guid ReleaseId,
    Guid ReportId,
    int Version,
    string FromParty,
    string ToParty,
    string Tlp,
    string Title,
    string Category,
    int Severity,
    string SeverityLabelEn,
    string SeverityLabelZh,
    bool Exercise,
    DateTimeOffset ReleasedAt,
    string? ReleasedBy = null);
