namespace IncidentExchange.Triage.Grouping;

/// <summary>
/// One event in the world that one or more of a party's reports describe. Reports are linked to it by triage and the
/// links decided by the party's contact-point officers. A merged incident stays on record, pointing to the one that
/// absorbed it.
/// </summary>
public sealed class Incident
{
    public const int TitleMaxLength = 300;

    public Guid Id { get; init; }
    public required string Party { get; init; }
    public bool Exercise { get; init; }
    /// <summary>The title of the report that opened it.</summary>
    public required string Title { get; init; }
    public required string Category { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? MergedInto { get; set; }
}

/// <summary>Which incident a report belongs to, why, and whether a person has decided it.</summary>
public sealed class IncidentLink
{
    public const int ReasonMaxLength = 1000;

    public Guid ReportId { get; init; }
    public Guid IncidentId { get; set; }
    public required string State { get; set; }
    /// <summary>How strongly the report matched the incident when triage linked it; null when it opened the incident.</summary>
    public double? Score { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset LinkedAt { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }

    public static string Bounded(string reason) => reason.Length > ReasonMaxLength ? reason[..ReasonMaxLength] : reason;
}

/// <summary>The states of a link.</summary>
public static class LinkState
{
    /// <summary>Triage found no incident the report matched well enough, so it opened one.</summary>
    public const string Opened = "opened";

    /// <summary>Triage linked the report to an existing incident; a person has not yet decided.</summary>
    public const string Proposed = "proposed";

    /// <summary>A contact-point officer confirmed the link, or made it (reject, merge, split).</summary>
    public const string Confirmed = "confirmed";
}

/// <summary>An officer's decision on an incident's links, kept for the record.</summary>
public sealed class LinkDecision
{
    public Guid Id { get; init; }
    public Guid IncidentId { get; init; }
    public Guid? ReportId { get; init; }
    /// <summary><c>confirm</c>, <c>reject</c>, <c>merge</c> or <c>split</c>.</summary>
    public required string Decision { get; init; }
    /// <summary>The other incident: the new one a rejected or split report went to, or the one merged into.</summary>
    public Guid? OtherIncidentId { get; init; }
    public required string DecidedBy { get; init; }
    public DateTimeOffset DecidedAt { get; init; }
}

/// <summary>What triage compares reports by: the latest version's text, model, time and indicators.</summary>
public sealed class ReportFeatures
{
    public Guid ReportId { get; init; }
    /// <summary>
    /// When the report was grouped, in order: rows are inserted under the party's lock, so within a party a higher
    /// number was committed later.
    /// </summary>
    public long Seq { get; init; }
    public required string Party { get; init; }
    public bool Exercise { get; init; }
    public required string Category { get; set; }
    public required string Title { get; set; }
    /// <summary>Title and summary, compared by trigram similarity (pg_trgm).</summary>
    public required string Text { get; set; }
    public string? ModelName { get; set; }
    /// <summary>The model's name reduced to lower-case letters and digits, so that "GPT-4" and "gpt4" agree.</summary>
    public string? ModelKey { get; set; }
    public string? DeveloperKey { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    /// <summary>Proper names and identifiers in Latin script (as written in either language), lower case.</summary>
    public required string[] Names { get; set; }
    /// <summary>Codes of protocols/triage/concepts.json whose English or Chinese terms occur in the text.</summary>
    public required string[] Concepts { get; set; }
    /// <summary>The indicators' SHA-256 values.</summary>
    public required string[] Indicators { get; set; }
}
