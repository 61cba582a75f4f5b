using System.Text.Json;
using IncidentExchange.Gateway.Data;
using IncidentExchange.Gateway.Pairing;
using IncidentExchange.Gateway.Record;
using IncidentExchange.Gateway.Signing;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Gateway.Link;

/// <summary>
/// What the gateway does with one document off the inbound queue. It verifies before it applies anything: a document
/// that is not signed by the pinned key of the other node, or whose envelope is replayed, out of order, or does not
/// follow the one before it, is refused (kept with the reason, nothing of it applied). A verified envelope is recorded,
/// applied and receipted in one transaction; a receipt is recorded as the delivered stamp of the envelope it answers.
/// </summary>
public sealed class InboundHandler(GatewayDb db, RecordBook record, Applier applier, NodeKey key, GatewayOptions options,
    TimeProvider clock, LinkSignal signal, ILogger<InboundHandler> logger)
{
    /// <summary>Handles one document; returns the receipt to send back, when there is one.</summary>
    public async Task<string?> HandleAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        string text;
        JsonDocument parsed;
        try
        {
            parsed = LinkDocuments.Parse(bytes.Span, out text);
        }
        catch (FormatException e)
        {
            await RefuseAsync(System.Text.Encoding.UTF8.GetString(bytes.Span[..Math.Min(bytes.Length, 64 * 1024)]), e.Message, cancellationToken);
            return null;
        }
        using var document = parsed;
        try
        {
            var peer = await db.Peers.AsNoTracking().SingleOrDefaultAsync(p => p.Party == options.Peer, cancellationToken)
                ?? throw new Refusal($"no key is pinned for {options.Peer} (the nodes are not paired)");
            using var descriptor = JsonDocument.Parse(peer.Descriptor);
            var peerKey = Descriptor.Read(descriptor.RootElement).Key;
            var root = document.RootElement;
            if (SignedDocument.Problem(root, peerKey) is { } problem)
                throw new Refusal(problem);
            if (!root.TryGetProperty("v", out var v) || !v.TryGetInt32(out var version) || version != LinkDocuments.Version)
                throw new Refusal($"its version is not {LinkDocuments.Version}");
            return LinkDocuments.Text(root, "type") switch
            {
                LinkDocuments.Envelope => await EnvelopeAsync(root, text, cancellationToken),
                LinkDocuments.Receipt => await ReceiptAsync(root, text, cancellationToken),
                var other => throw new Refusal($"its type \"{other}\" is neither envelope nor receipt"),
            };
        }
        catch (Exception e) when (e is Refusal or FormatException)
        {
            await RefuseAsync(text, e.Message, cancellationToken);
            return null;
        }
    }

    private async Task<string?> EnvelopeAsync(JsonElement envelope, string text, CancellationToken cancellationToken)
    {
        var link = LinkDocuments.Text(envelope, "link");
        if (link != options.Inbound)
            throw new Refusal($"it is for link {link}, and this node receives on {options.Inbound}");
        var seq = LinkDocuments.Number(envelope, "seq");
        var previous = LinkDocuments.OptionalText(envelope, "prev");
        var kind = LinkDocuments.Text(envelope, "kind");
        LinkDocuments.Text(envelope, "id");
        LinkDocuments.Text(envelope, "sentAt");
        if (!envelope.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.Object)
            throw new Refusal("its \"body\" is missing or not an object");
        var hash = SignedDocument.Hash(envelope);

        return await InTransactionAsync(async () =>
        {
            var (lastSeq, lastHash) = await record.LastEnvelopeAsync(RecordEntry.Received, link, cancellationToken);
            if (seq <= lastSeq)
            {
                var stored = await db.Record.AsNoTracking().SingleAsync(e => e.Direction == RecordEntry.Received && e.Type == LinkDocuments.Envelope && e.Link == link && e.Seq == seq, cancellationToken);
                if (stored.Hash != hash)
                    throw new Refusal($"seq {seq} was received before with other content (hash {stored.Hash}, this one {hash})");
                // A retransmission of what is stored: answer with the receipt already given.
                return await db.Record.AsNoTracking()
                    .Where(e => e.Direction == RecordEntry.Sent && e.Type == LinkDocuments.Receipt && e.Link == link && e.Seq == seq)
                    .Select(e => e.Document).SingleAsync(cancellationToken);
            }
            if (seq != lastSeq + 1)
                throw new Refusal($"it is out of order: seq {seq}, where {lastSeq + 1} is next");
            if (previous != lastHash)
                throw new Refusal($"its prev {previous ?? "null"} is not the hash of seq {lastSeq} ({lastHash ?? "null"})");

            var outcome = applier.Apply(kind, body);
            await record.AppendAsync(RecordEntry.Received, LinkDocuments.Envelope, link, seq, hash, text, cancellationToken);
            var receipt = SignedDocument.Sign(LinkDocuments.NewReceipt(link, seq, hash, options.Party, clock.GetUtcNow(), outcome), key);
            using var parsedReceipt = JsonDocument.Parse(receipt);
            await record.AppendAsync(RecordEntry.Sent, LinkDocuments.Receipt, link, seq, SignedDocument.Hash(parsedReceipt.RootElement), receipt, cancellationToken);
            if (outcome != Applier.Applied)
                logger.LogWarning("Envelope {Link} seq {Seq} ({Kind}) recorded and receipted but not applied: {Outcome}", link, seq, kind, outcome);
            return receipt;
        }, cancellationToken);
    }

    private async Task<string?> ReceiptAsync(JsonElement receipt, string text, CancellationToken cancellationToken)
    {
        var link = LinkDocuments.Text(receipt, "link");
        if (link != options.Outbound)
            throw new Refusal($"it receipts link {link}, and this node sends on {options.Outbound}");
        if (LinkDocuments.Text(receipt, "by") != options.Peer)
            throw new Refusal($"it says it is by {LinkDocuments.Text(receipt, "by")}, not {options.Peer}");
        var seq = LinkDocuments.Number(receipt, "seq");
        var receipted = LinkDocuments.Text(receipt, "hash");
        LinkDocuments.Text(receipt, "storedAt");
        LinkDocuments.Text(receipt, "outcome");
        var hash = SignedDocument.Hash(receipt);

        await InTransactionAsync<string?>(async () =>
        {
            var sent = await db.Record.AsNoTracking()
                .Where(e => e.Direction == RecordEntry.Sent && e.Type == LinkDocuments.Envelope && e.Link == link && e.Seq == seq)
                .Select(e => e.Hash).SingleOrDefaultAsync(cancellationToken)
                ?? throw new Refusal($"it receipts seq {seq}, which this node never sent");
            if (sent != receipted)
                throw new Refusal($"it receipts seq {seq} with hash {receipted}, and what this node sent has hash {sent}");
            if (await db.Record.AnyAsync(e => e.Direction == RecordEntry.Received && e.Type == LinkDocuments.Receipt && e.Link == link && e.Seq == seq, cancellationToken))
                return null; // the receipt of a retransmission: the first one stands
            await record.AppendAsync(RecordEntry.Received, LinkDocuments.Receipt, link, seq, hash, text, cancellationToken);
            return null;
        }, cancellationToken);
        signal.Wake();
        return null;
    }

    private Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await record.LockAsync(cancellationToken);
            var result = await work();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        });

    private async Task RefuseAsync(string document, string reason, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        db.Refused.Add(new RefusedDocument { Id = Guid.CreateVersion7(), ReceivedAt = clock.GetUtcNow(), Reason = reason[..Math.Min(reason.Length, 1000)], Document = document });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("Refused a document from the link ({Inbound}): {Reason}", options.Inbound, reason);
    }

    /// <summary>Why a document from the link is not applied.</summary>
    private sealed class Refusal(string reason) : Exception(reason);
}
