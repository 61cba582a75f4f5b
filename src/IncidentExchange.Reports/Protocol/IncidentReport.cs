using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentExchange.Reports.Protocol;

/// <summary>
/// One version of a report as protocol v1 describes it (protocols/schemas/incident-report.v1.schema.json). Absent
/// optional members stay absent when stored and shown; nothing is filled in on the reporter's behalf.
/// </summary>
public sealed record IncidentReport(
    string Title,
    string Summary,
    string Language,
    string Kind,
    string Category,
    IReadOnlyList<string>? Harms,
    Impact? Impact,
    ModelInfo Model,
    Timeline Timeline,
    IReadOnlyList<Indicator>? Indicators,
    string Tlp,
    bool? Exercise,
    ReporterContact? ReporterContact)
{
    /// <summary>How documents are written to the database and compared: camelCase, absent members left out.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    [JsonIgnore]
    public bool IsExercise => Exercise ?? false;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static IncidentReport FromJson(string json) =>
        JsonSerializer.Deserialize<IncidentReport>(json, Json) ?? throw new JsonException("Empty report document.");
}

public sealed record Impact(
    long? Deaths,
    long? SeriousInjuries,
    long? PeopleAffected,
    decimal? EconomicLossUsd,
    IReadOnlyList<string>? JurisdictionsAffected,
    bool? ExploitationOngoing,
    bool? NonStateActorsInvolved,
    bool? CriticalInfrastructureAffected);

public sealed record ModelInfo(string Name, string? Version, string Developer, string? Access, string? DeploymentContext, bool? ToolAccess);

public sealed record Timeline(DateTimeOffset OccurredAt, DateTimeOffset? DetectedAt, string? Containment, string? Mitigations);

public sealed record Indicator(string Type, string Sha256, string? Note);

public sealed record ReporterContact(string Name, string? Email, string? Phone);
