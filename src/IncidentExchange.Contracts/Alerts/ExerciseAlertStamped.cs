namespace IncidentExchange.Contracts.Alerts;

/// <summary>
/// An alert of exercise traffic got a stamp: <c>delivered</c> (stored in the receiving party's system),
/// <c>acknowledged</c> or <c>responded</c>. Published for exercise alerts only — the Drills service measures drills
/// with it; real alerts' stamps are read through the Alerts API.
/// </summary>
/// <param name="ReportId">The report the alert is about, or the communication check's id for a check.</param>
/// <param name="By">Who stamped it (null for <c>delivered</c>).</param>
public sealed record ExerciseAlertStamped(
    Guid AlertId,
    string Party,
    string Kind,
    Guid ReportId,
    int ReportVersion,
    string Stamp,
    DateTimeOffset At,
    string? By);
