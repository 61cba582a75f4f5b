using System.Text.Json;
using IncidentExchange.Gateway.Data;
using IncidentExchange.Gateway.Link;
using IncidentExchange.Gateway.Pairing;
using IncidentExchange.Gateway.Signing;

namespace IncidentExchange.Gateway.Record;

/// <summary>
/// The check that two nodes' records agree (ops/verify-record.sh). It trusts neither export: it recomputes every
/// document's hash and every chain hash, verifies every signature with the key each node pinned for the other, checks
/// each link's sequence and previous-hash chain, and then compares what one node says it sent with what the other says
/// it received, envelope by envelope and receipt by receipt. It names the first entry where either is wrong.
/// </summary>
public static class RecordVerifier
{
    public sealed record Result(bool Agree, IReadOnlyList<string> Lines);

    private sealed record Node(string Party, PublicNodeKey Key, string? PinnedPeer, PublicNodeKey? PeerKey, List<Entry> Entries);

    private sealed record Entry(long Position, string Direction, string Type, string Link, long Seq, string Hash, string Chain, string Document);

    public static int Run(string firstPath, string secondPath, TextWriter output)
    {
        var result = Verify(File.ReadAllText(firstPath), File.ReadAllText(secondPath));
        foreach (var line in result.Lines)
            output.WriteLine(line);
        return result.Agree ? 0 : 1;
    }

    public static Result Verify(string firstExport, string secondExport)
    {
        var lines = new List<string>();
        Node first, second;
        try
        {
            first = Read(firstExport);
            second = Read(secondExport);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new Result(false, [$"an export cannot be read: {e.Message}"]);
        }
        var agree = true;
        foreach (var (node, other) in new[] { (first, second), (second, first) })
        {
            if (node.PinnedPeer != other.Party || node.PeerKey?.Thumbprint != other.Key.Thumbprint)
            {
                agree = false;
                lines.Add($"{node.Party} has pinned {(node.PeerKey is null ? "no key" : $"{node.PinnedPeer}'s key {node.PeerKey.Thumbprint}")}, but {other.Party}'s record is signed with {other.Key.Thumbprint}");
                continue;
            }
            var problem = CheckOwn(node);
            agree &= problem is null;
            lines.Add(problem is null
                ? $"{node.Party}'s record: {node.Entries.Count} entries, chain intact, every hash and signature verifies ({node.Party} key {node.Key.Thumbprint})"
                : $"{node.Party}'s record is not intact: {problem}");
        }
        if (!agree)
            return new Result(false, lines);
        foreach (var (sender, receiver) in new[] { (first, second), (second, first) })
        {
            var link = $"{sender.Party}>{receiver.Party}";
            var envelopes = Compare(link, "envelope", sender, RecordEntry.Sent, receiver, RecordEntry.Received, out var envelopeLine);
            var receipts = Compare(link, "receipt", receiver, RecordEntry.Sent, sender, RecordEntry.Received, out var receiptLine);
            agree &= envelopes && receipts;
            lines.Add($"{link}: {envelopeLine}; {receiptLine}");
        }
        return new Result(agree, lines);
    }

    /// <summary>Whether what <paramref name="from"/> recorded as sent and <paramref name="to"/> as received agree, seq by seq.</summary>
    private static bool Compare(string link, string type, Node from, string sent, Node to, string received, out string line)
    {
        var a = from.Entries.Where(e => e.Direction == sent && e.Type == type && e.Link == link).ToDictionary(e => e.Seq);
        var b = to.Entries.Where(e => e.Direction == received && e.Type == type && e.Link == link).ToDictionary(e => e.Seq);
        for (long seq = 1; seq <= Math.Max(a.Count, b.Count); seq++)
        {
            var x = a.GetValueOrDefault(seq);
            var y = b.GetValueOrDefault(seq);
            if (x is not null && y is not null && x.Hash != y.Hash)
            {
                line = $"{type}s diverge at seq {seq}: {from.Party} sent {x.Hash} (position {x.Position}), {to.Party} holds {y.Hash} (position {y.Position})";
                return false;
            }
            if (x is null && y is not null)
            {
                line = $"{type}s diverge at seq {seq}: {to.Party} holds one (position {y.Position}) that {from.Party} never sent";
                return false;
            }
        }
        var inFlight = a.Count - b.Count;
        line = $"{type}s agree up to seq {b.Count} ({from.Party} sent {a.Count}, {to.Party} holds {b.Count}{(inFlight > 0 ? $"; {inFlight} not yet arrived" : "")})";
        return true;
    }

    /// <summary>Null when the node's own record holds together; else the first thing wrong, by position.</summary>
    private static string? CheckOwn(Node node)
    {
        var chain = "";
        var last = new Dictionary<(string, string), (long Seq, string Hash)>();
        var hashes = new Dictionary<(string Direction, string Link, long Seq), string>();
        long expected = 1;
        foreach (var entry in node.Entries)
        {
            var at = $"position {entry.Position}";
            if (entry.Position != expected++)
                return $"{at}: position {expected - 1} is missing";
            chain = RecordBook.Chain(chain, entry.Position, entry.Direction, entry.Hash);
            if (chain != entry.Chain)
                return $"{at}: the chain hash does not follow from the entries before it (an entry was changed, added or removed)";
            using var document = JsonDocument.Parse(entry.Document);
            var root = document.RootElement;
            if (SignedDocument.Hash(root) != entry.Hash)
                return $"{at}: the stored document's hash is not the recorded one (the document was changed)";
            var signer = entry.Direction == RecordEntry.Sent ? node.Key : node.PeerKey!;
            if (SignedDocument.Problem(root, signer) is { } problem)
                return $"{at}: {problem}";
            if (LinkDocuments.Text(root, "type") != entry.Type || LinkDocuments.Text(root, "link") != entry.Link || LinkDocuments.Number(root, "seq") != entry.Seq)
                return $"{at}: the document's type, link or seq is not the entry's";
            if (entry.Type == LinkDocuments.Envelope)
            {
                var previous = last.GetValueOrDefault((entry.Direction, entry.Link));
                if (entry.Seq != previous.Seq + 1 || LinkDocuments.OptionalText(root, "prev") != previous.Hash)
                    return $"{at}: envelope {entry.Link} seq {entry.Seq} does not follow seq {previous.Seq}";
                last[(entry.Direction, entry.Link)] = (entry.Seq, entry.Hash);
                hashes[(entry.Direction, entry.Link, entry.Seq)] = entry.Hash;
            }
            else
            {
                // A receipt answers an envelope the same node holds: one it received (its own receipts) or sent (the other's).
                var answered = entry.Direction == RecordEntry.Sent ? RecordEntry.Received : RecordEntry.Sent;
                if (hashes.GetValueOrDefault((answered, entry.Link, entry.Seq)) != LinkDocuments.Text(root, "hash"))
                    return $"{at}: receipt {entry.Link} seq {entry.Seq} does not name the hash of the envelope it answers";
            }
        }
        return null;
    }

    private static Node Read(string export)
    {
        using var document = JsonDocument.Parse(export);
        var root = document.RootElement;
        var (party, key) = Descriptor.Read(root.GetProperty("node"));
        string? peerParty = null;
        PublicNodeKey? peerKey = null;
        if (root.TryGetProperty("peer", out var peer) && peer.ValueKind == JsonValueKind.Object)
            (peerParty, peerKey) = Descriptor.Read(peer);
        var entries = root.GetProperty("entries").EnumerateArray().Select(e => new Entry(
            e.GetProperty("position").GetInt64(), e.GetProperty("direction").GetString()!, e.GetProperty("type").GetString()!,
            e.GetProperty("link").GetString()!, e.GetProperty("seq").GetInt64(), e.GetProperty("hash").GetString()!,
            e.GetProperty("chain").GetString()!, e.GetProperty("document").GetString()!)).OrderBy(e => e.Position).ToList();
        return new Node(party, key, peerParty, peerKey, entries);
    }
}
