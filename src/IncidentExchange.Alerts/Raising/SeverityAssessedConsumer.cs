using IncidentExchange.Alerts.Data;
using IncidentExchange.Alerts.Hub;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace IncidentExchange.Alerts.Raising;

/// <summary>
/// Raises an alert for the report's home party when its severity is known: stored with the party's next sequence
/// number, then pushed to the party's connected contact points. A client that missed the push finds it by sequence.
/// </summary>
public sealed class SeverityAssessedConsumer(AlertsDb db, IHubContext<AlertsHub, IAlertsClient> hub, TimeProvider clock, ILogger<SeverityAssessedConsumer> logger)
    : IConsumer<SeverityAssessed>
{
    public async Task Consume(ConsumeContext<SeverityAssessed> context)
    {
        var assessed = context.Message;
        var messageId = context.MessageId ?? throw new InvalidOperationException("Message without id.");
        var cancellationToken = context.CancellationToken;

        var alert = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await db.AlreadyProcessedAsync(messageId, nameof(SeverityAssessedConsumer), cancellationToken))
                return null;

            var raised = new Alert
            {
                Id = NewId.NextGuid(),
                Party = assessed.Party,
                Sequence = await NextSequenceAsync(assessed.Party, transaction, cancellationToken),
                Kind = Alert.ReportKind,
                ReportId = assessed.ReportId,
                ReportVersion = assessed.Version,
                Severity = assessed.Level,
                SeverityLabelEn = assessed.LabelEn,
                SeverityLabelZh = assessed.LabelZh,
                Title = assessed.Title,
                Category = assessed.Category,
                Exercise = assessed.Exercise,
                RaisedAt = clock.GetUtcNow(),
            };
            db.Alerts.Add(raised);
            db.MarkProcessed(messageId, nameof(SeverityAssessedConsumer));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return raised;
        });
        if (alert is null)
            return;

        logger.LogInformation("Alert {AlertId} #{Sequence} raised for party {Party}, report {ReportId}", alert.Id, alert.Sequence, alert.Party, alert.ReportId);
        await hub.Clients.Group(AlertsHub.PartyGroup(alert.Party)).Alert(AlertMessage.From(alert));
    }

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
