namespace IncidentExchange.Contracts.Reports;

/// <summary>
/// A report was withdrawn: it stays on record, marked nullified. <c>ReleasedTo</c> lists the parties that had received
/// it, who must be told. It carries no report text: each recipient is shown the title it was released.
/// </summary>
public sealed record ReportNullified(
    Guid ReportId,
    string Party,
    IReadOnlyList<string> ReleasedTo,
    bool Exercise,
    DateTimeOffset NullifiedAt);
