namespace IncidentExchange.Contracts.Reports;

/// <summary>
/// A message was posted in a follow-up thread of a report (a question or an answer). Carries its text so that
/// translation need not call back; who may read it is Reports' business, which shows translations only inside the thread.
/// A message by a contact point is a substantive reply: Alerts stamps the party's alerts on the report as responded.
/// </summary>
public sealed record ThreadMessagePosted(
    Guid MessageId,
    Guid ReportId,
    Guid ThreadId,
    string AuthorParty,
    string Author,
    bool ByContactPoint,
    string Language,
    string Body,
    DateTimeOffset PostedAt);
