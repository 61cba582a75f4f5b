using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Gateway.Data;
using IncidentExchange.Gateway.Record;
using IncidentExchange.Gateway.Signing;
using IncidentExchange.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Gateway.Link;

/// <summary>
/// A release by this node's contact point to the other party: the one way a report's content leaves the node. It is
/// sealed into the link's next envelope (signed, chained to the one before) and recorded, in one transaction; the
/// sender then transmits it.
/// </summary>
public sealed class ReportReleasedConsumer(GatewayDb db, RecordBook record, NodeKey key, GatewayOptions options, TimeProvider clock, LinkSignal signal)
    : IConsumer<ReportReleased>
{
    public async Task Consume(ConsumeContext<ReportReleased> context)
    {
        var released = context.Message;
        // What the other party released to this one comes back on this bus too (the Applier publishes it): not ours to send.
        if (released.FromParty != options.Party || released.ToParty != options.Peer)
            return;
        var messageId = context.MessageId ?? throw new InvalidOperationException("A ReportReleased without a message id.");
        var body = JsonSerializer.SerializeToNode(released, Applier.Json)!.AsObject();
        var stored = await db.OnceAsync(messageId, nameof(ReportReleasedConsumer), () =>
            db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
                await record.LockAsync(context.CancellationToken);
                await SealAsync(Applier.ReportReleasedKind, messageId, body.DeepClone().AsObject(), context.CancellationToken);
                db.MarkProcessed(messageId, nameof(ReportReleasedConsumer));
                await db.SaveChangesAsync(context.CancellationToken);
                await transaction.CommitAsync(context.CancellationToken);
            }), context.CancellationToken);
        if (stored)
            signal.Wake();
    }

    private async Task SealAsync(string kind, Guid id, JsonObject body, CancellationToken cancellationToken)
    {
        var (lastSeq, lastHash) = await record.LastEnvelopeAsync(RecordEntry.Sent, options.Outbound, cancellationToken);
        var envelope = SignedDocument.Sign(LinkDocuments.NewEnvelope(options.Outbound, lastSeq + 1, lastHash, id, kind, clock.GetUtcNow(), body), key);
        using var parsed = JsonDocument.Parse(envelope);
        await record.AppendAsync(RecordEntry.Sent, LinkDocuments.Envelope, options.Outbound, lastSeq + 1, SignedDocument.Hash(parsed.RootElement), envelope, cancellationToken);
    }
}
