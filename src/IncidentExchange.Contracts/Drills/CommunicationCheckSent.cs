namespace IncidentExchange.Contracts.Drills;

/// <summary>
/// A coordinator's communication check to a party's contact point: its duty group must acknowledge it within the limit.
/// Alerts raises it as an exercise alert of kind <c>communication-check</c>, which escalates like any other.
/// </summary>
public sealed record CommunicationCheckSent(
    Guid CheckId,
    Guid DrillId,
    string Party,
    string Title,
    int AcknowledgeWithinMinutes,
    DateTimeOffset SentAt);
