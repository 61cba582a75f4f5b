using IncidentExchange.Alerts.Data;
using IncidentExchange.Alerts.Hub;
using System.Text.Json;
using IncidentExchange.Alerts.Stamps;
using IncidentExchange.Alerts.Translations;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace IncidentExchange.Alerts.Raising;

/// <summary>
/// Raises alerts for a consumed message: each stored with its party's next sequence number, in one transaction with
/// the message's inbox mark, then pushed to the party's connected contact points. A client that missed the push finds
/// the alert by sequence. An alert already raised for the same report version, party and kind is not raised again.
/// </summary>
public sealed class AlertRaiser(AlertsDb db, IHubContext<AlertsHub, IAlertsClient> hub, StampRules rules, TimeProvider clock, ILogger<AlertRaiser> logger)
{
    public sealed record Draft(
        string Party, string Kind, Guid ReportId, int ReportVersion, int Severity, string LabelEn, string LabelZh,
        string Title, string Category, bool Exercise, string? FromParty = null, Limits? Limits = null, Guid? IncidentId = null);

    /// <summary>The stamps' limits as the rule set in force gave them; without them, those of the protocol's rule set apply.</summary>
    public sealed record Limits(
        string RuleSetVersion, int? AcknowledgeWithinMinutes, int? RespondWithinMinutes, int? NotifyCounterpartWithinHours = null,
        IReadOnlyList<EscalationStep>? Ladder = null);

    /// <param name="drafts">Runs inside the transaction, so that it may read earlier alerts.</param>
    public async Task RaiseAsync(ConsumeContext context, string consumer, Func<CancellationToken, Task<IReadOnlyList<Draft>>> drafts)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException($"{consumer} got a message without an id.");
        var cancellationToken = context.CancellationToken;

        var alerts = new List<Alert>();
        // A message raised before fails the commit on its inbox record: then nothing is pushed.
        var first = await db.OnceAsync(messageId, consumer, () => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            alerts.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

            foreach (var draft in await drafts(cancellationToken))
            {
                if (await db.Alerts.AnyAsync(a => a.ReportId == draft.ReportId && a.ReportVersion == draft.ReportVersion &&
                                                  a.Party == draft.Party && a.Kind == draft.Kind, cancellationToken))
                    continue;
                var delivered = clock.GetUtcNow();
                var (acknowledgeDue, respondDue) = draft.Limits is { } limits
                    ? (At(limits.AcknowledgeWithinMinutes), At(limits.RespondWithinMinutes))
                    : rules.DueTimes(draft.Severity, delivered);
                DateTimeOffset? At(int? minutes) => minutes is { } m ? delivered.AddMinutes(m) : null;
                var lead = await LeadOfIncidentAsync(draft, cancellationToken);
                // A check's title is the coordinator's; any other is a report's, which Translation renders.
                var titleHash = draft.Kind == Alert.CheckKind ? null : FieldTranslation.HashOf(draft.Title);
                if (titleHash is not null)
                    await TitleTranslations.LockAsync(db, titleHash, cancellationToken);
                var titleTranslations = titleHash is null ? "[]" : await TitleTranslations.OfAsync(db, titleHash, cancellationToken);
                var digest = draft.Kind is Alert.ReportKind or Alert.ReleasedKind && draft.Severity <= await DigestLevelAsync(draft.Party, cancellationToken);
                var alert = new Alert
                {
                    Id = NewId.NextGuid(),
                    Party = draft.Party,
                    // Last of the reads: the number locks the party's sequence row until commit, and every alert of the party waits for it.
                    Sequence = await NextSequenceAsync(draft.Party, transaction, cancellationToken),
                    Kind = draft.Kind,
                    ReportId = draft.ReportId,
                    ReportVersion = draft.ReportVersion,
                    Severity = draft.Severity,
                    SeverityLabelEn = draft.LabelEn,
                    SeverityLabelZh = draft.LabelZh,
                    Title = draft.Title,
                    Category = draft.Category,
                    Exercise = draft.Exercise,
                    RaisedAt = delivered,
                    FromParty = draft.FromParty,
                    RuleSetVersion = draft.Limits?.RuleSetVersion ?? rules.Version,
                    EscalationLadder = JsonSerializer.Serialize(draft.Limits?.Ladder ?? rules.Ladder, StampRules.LadderJson),
                    AcknowledgeDueAt = acknowledgeDue,
                    // A withdrawal is to be taken note of; there is nothing to answer.
                    RespondDueAt = draft.Kind == Alert.NullifiedKind ? null : respondDue,
                    NotifyCounterpartDueAt = draft.Kind == Alert.ReportKind && draft.Limits?.NotifyCounterpartWithinHours is { } hours
                        ? delivered.AddHours(hours)
                        : null,
                    IncidentId = draft.IncidentId,
                    GroupedUnder = lead,
                    Digest = digest,
                    TitleHash = titleHash,
                    TitleTranslations = titleTranslations,
                };
                alert.NextEscalationAt = StampRules.NextEscalationAt(alert, draft.Limits?.Ladder ?? rules.Ladder, (_, _) => false);
                db.Alerts.Add(alert);
                alerts.Add(alert);
            }
            db.MarkProcessed(messageId, consumer);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }), cancellationToken);
        if (!first)
            return;

        foreach (var alert in alerts)
        {
            logger.LogInformation("Alert {AlertId} #{Sequence} ({Kind}) raised for party {Party}, report {ReportId}{Storm}",
                alert.Id, alert.Sequence, alert.Kind, alert.Party, alert.ReportId,
                alert.Digest ? ", for the digest" : alert.GroupedUnder is { } lead ? $", under {lead}" : "");
            // A digest alert is stored and listed (GET /api/v1/alerts) but not pushed: the digest brings it.
            if (!alert.Digest)
                await hub.Clients.Group(AlertsHub.PartyGroup(alert.Party)).Alert(AlertMessage.From(alert));
        }
    }

    /// <summary>How recent an incident's first alert must be for later ones to fold under it: a storm is a burst.</summary>
    public static readonly TimeSpan StormWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// The first still unacknowledged live alert of the same incident for the party, raised within the storm window, at
    /// this level or above: the new alert folds under it. A higher level is never folded under a lower one.
    /// </summary>
    private async Task<Guid?> LeadOfIncidentAsync(Draft draft, CancellationToken cancellationToken)
    {
        if (draft.IncidentId is null || draft.Kind != Alert.ReportKind)
            return null;
        var since = clock.GetUtcNow() - StormWindow;
        return await db.Alerts.Where(a => a.Party == draft.Party && a.IncidentId == draft.IncidentId && a.Kind == Alert.ReportKind
                                          && a.AcknowledgedAt == null && a.GroupedUnder == null && !a.Digest && a.Severity >= draft.Severity
                                          && a.RaisedAt >= since)
            .OrderBy(a => a.Sequence).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<int> DigestLevelAsync(string party, CancellationToken cancellationToken) =>
        await db.PartySettings.Where(p => p.Party == party).Select(p => (int?)p.DigestUpToLevel).FirstOrDefaultAsync(cancellationToken) ?? 0;

    /// <summary>Takes the party's next number; the row lock serialises concurrent alerts of one party until commit.</summary>
    private async Task<long> NextSequenceAsync(string party, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand("""
            INSERT INTO party_sequences (party, last_sequence) VALUES (@party, 1)
            ON CONFLICT (party) DO UPDATE SET last_sequence = party_sequences.last_sequence + 1
            RETURNING last_sequence
            """, connection, (NpgsqlTransaction)transaction.GetDbTransaction());
        command.Parameters.AddWithValue("party", party);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
