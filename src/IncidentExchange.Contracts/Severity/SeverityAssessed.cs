namespace IncidentExchange.Contracts.Severity;

/// <summary>A report was assessed against the rule set in force.</summary>
/// <param name="Level">1 (lowest) to 5 (highest).</param>
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
    DateTimeOffset AssessedAt);
