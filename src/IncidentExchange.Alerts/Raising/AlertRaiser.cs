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
/// The database numbers an alert as it is inserted (migration 010_sequence_on_insert): the number locks the party's
/// sequence row until commit, so that numbers follow commit order without gaps, and the party's other alerts wait for
/// that lock through the save's round trip and the commit only.
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
                // A check's title is the coordinator's; any other is a report's, which Translation renders.
                var titleHash = draft.Kind == Alert.CheckKind ? null : FieldTranslation.HashOf(draft.Title);
                var known = await ReadAsync(draft, titleHash, transaction, cancellationToken);
                if (known.Raised)
                    continue;
                var delivered = clock.GetUtcNow();
                var (acknowledgeDue, respondDue) = draft.Limits is { } limits
                    ? (At(limits.AcknowledgeWithinMinutes), At(limits.RespondWithinMinutes))
                    : rules.DueTimes(draft.Severity, delivered);
                DateTimeOffset? At(int? minutes) => minutes is { } m ? delivered.AddMinutes(m) : null;
                var lead = known.Lead;
                var titleTranslations = known.TitleTranslations;
                var digest = draft.Kind is Alert.ReportKind or Alert.ReleasedKind && draft.Severity <= known.DigestUpToLevel;
                var alert = new Alert
                {
                    Id = NewId.NextGuid(),
                    Party = draft.Party,
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

    /// <param name="Raised">An alert was raised for the draft's report version, party and kind before.</param>
    /// <param name="Lead">The alert this one folds under (<see cref="ReadAsync"/>), if any.</param>
    /// <param name="TitleTranslations">The stored renderings of the draft's title, as alerts carry them.</param>
    /// <param name="DigestUpToLevel">The party's storm setting: alerts of this level and below go to the digest.</param>
    private sealed record Known(bool Raised, Guid? Lead, string TitleTranslations, int DigestUpToLevel);

    /// <summary>
    /// What raising a draft depends on, in one round trip: whether it was raised before; the first still unacknowledged
    /// live alert of the same incident for the party, raised within <see cref="StormWindow"/>, at this level or above, which
    /// the new alert folds under (a higher level is never folded under a lower one); the title's renderings, read under
    /// the title's lock (<see cref="TitleTranslations.LockCommand"/>), held until commit; and the party's digest level.
    /// </summary>
    private async Task<Known> ReadAsync(Draft draft, string? titleHash, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT EXISTS (SELECT 1 FROM alerts WHERE report_id = @report AND report_version = @version AND party = @party AND kind = @kind)
            """) { Parameters = { new("report", draft.ReportId), new("version", draft.ReportVersion), new("party", draft.Party), new("kind", draft.Kind) } });
        var storm = draft.IncidentId is not null && draft.Kind == Alert.ReportKind;
        if (storm)
            // The literal conditions are those of the partial index ix_alerts_storm_leads.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                SELECT id FROM alerts
                WHERE party = @party AND incident_id = @incident AND kind = 'report' AND acknowledged_at IS NULL
                  AND grouped_under IS NULL AND NOT digest AND severity >= @severity AND raised_at >= @since
                ORDER BY sequence LIMIT 1
                """)
            {
                Parameters =
                {
                    new("party", draft.Party), new("incident", draft.IncidentId!.Value), new("severity", draft.Severity),
                    new("since", clock.GetUtcNow() - StormWindow),
                },
            });
        if (titleHash is not null)
        {
            batch.BatchCommands.Add(TitleTranslations.LockCommand(titleHash));
            batch.BatchCommands.Add(TitleTranslations.ReadCommand(titleHash));
        }
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT digest_up_to_level FROM party_settings WHERE party = @party")
            { Parameters = { new("party", draft.Party) } });

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var raised = reader.GetBoolean(0);
        Guid? lead = null;
        if (storm)
        {
            await reader.NextResultAsync(cancellationToken);
            lead = await reader.ReadAsync(cancellationToken) ? reader.GetGuid(0) : null;
        }
        var titleTranslations = "[]";
        if (titleHash is not null)
        {
            await reader.NextResultAsync(cancellationToken); // the lock
            await reader.NextResultAsync(cancellationToken);
            titleTranslations = TitleTranslations.Serialize(await TitleTranslations.ReadAsync(reader, cancellationToken));
        }
        await reader.NextResultAsync(cancellationToken);
        var digestUpToLevel = await reader.ReadAsync(cancellationToken) ? reader.GetInt32(0) : 0;
        return new Known(raised, lead, titleTranslations, digestUpToLevel);
    }
}
