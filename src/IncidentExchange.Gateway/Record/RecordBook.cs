using System.Security.Cryptography;
using System.Text;
using IncidentExchange.Gateway.Data;
using IncidentExchange.Gateway.Link;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace IncidentExchange.Gateway.Record;

/// <summary>
/// Writes the node's record. Every write takes one lock for the transaction, so lines get consecutive positions, each
/// chained to the one before, and a link's next sequence number is read and used by one writer at a time.
/// </summary>
public sealed class RecordBook(GatewayDb db, TimeProvider clock)
{
    private const long LockKey = 0x1E_6A7E_0001;

    /// <summary>Takes the record's lock until the current transaction ends; call before reading what to write.</summary>
    public Task LockAsync(CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);

    /// <summary>The last envelope recorded on a link in one direction: its sequence number and hash, (0, null) for none.</summary>
    public async Task<(long Seq, string? Hash)> LastEnvelopeAsync(string direction, string link, CancellationToken cancellationToken)
    {
        var last = await db.Record.AsNoTracking()
            .Where(e => e.Direction == direction && e.Type == LinkDocuments.Envelope && e.Link == link)
            .OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        return last is null ? (0, null) : (last.Seq, last.Hash);
    }

    /// <summary>Adds a line after the last one (the caller holds the lock and saves).</summary>
    public async Task<RecordEntry> AppendAsync(string direction, string type, string link, long seq, string hash, string document, CancellationToken cancellationToken)
    {
        var last = db.Record.Local.Where(e => db.Entry(e).State == EntityState.Added).MaxBy(e => e.Position)
            ?? await db.Record.AsNoTracking().OrderByDescending(e => e.Position).FirstOrDefaultAsync(cancellationToken);
        var position = (last?.Position ?? 0) + 1;
        var entry = new RecordEntry
        {
            Position = position,
            Direction = direction,
            Type = type,
            Link = link,
            Seq = seq,
            Hash = hash,
            Document = document,
            Chain = Chain(last?.Chain ?? "", position, direction, hash),
            RecordedAt = clock.GetUtcNow(),
        };
        db.Record.Add(entry);
        return entry;
    }

    /// <summary>
    /// The chain hash of a line: base64url SHA-256 of the previous line's chain hash (empty before the first), the
    /// position, the direction and the document's hash, each followed by a line feed (protocols/link.md).
    /// </summary>
    public static string Chain(string previous, long position, string direction, string hash) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($"{previous}\n{position}\n{direction}\n{hash}\n")));
}
