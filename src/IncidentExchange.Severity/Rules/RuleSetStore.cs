using System.Collections.Concurrent;
using IncidentExchange.Severity.Data;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Severity.Rules;

/// <summary>
/// The rule set in force: the version whose last party approval is the latest. Versions never change once proposed, so
/// each is read and parsed once; which one is in force (its version alone) is read from the database at each
/// assessment, so that every replica switches at the same approval. At first start, version 1 of protocols/severity/
/// — the text the parties agreed in the protocol — is recorded as approved by both.
/// </summary>
public sealed class RuleSetStore(TimeProvider clock)
{
    public static readonly string[] Parties = ["US", "CN"];
    public const string ProtocolApproval = "protocols/severity/rule-set.v1.json";

    private readonly ConcurrentDictionary<string, RuleSet> _parsed = new();

    public async Task<RuleSet> InForceAsync(SeverityDb db, CancellationToken cancellationToken)
    {
        var version = await db.RuleSets.Where(r => r.InForceFrom != null)
            .OrderByDescending(r => r.InForceFrom).Select(r => r.Version).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException("No rule set is in force: the protocol's version was not recorded.");
        if (_parsed.TryGetValue(version, out var parsed))
            return parsed;
        var document = await db.RuleSets.Where(r => r.Version == version).Select(r => r.Document).SingleAsync(cancellationToken);
        return _parsed.GetOrAdd(version, _ => RuleSet.Parse(document, out var errors)
            ?? throw new InvalidOperationException($"Rule set {version} in force does not parse: {string.Join(" ", errors)}"));
    }

    /// <summary>Records the protocol's rule set as agreed by both parties, unless a rule set is already on record.</summary>
    public async Task RecordProtocolVersionAsync(SeverityDb db, CancellationToken cancellationToken)
    {
        if (await db.RuleSets.AnyAsync(cancellationToken))
            return;
        var now = clock.GetUtcNow();
        var protocol = RuleSet.Load();
        db.RuleSets.Add(new RuleSetRecord
        {
            Version = protocol.Version, Document = RuleSet.ProtocolDocument(), ProposedBy = ProtocolApproval, ProposedParty = "both",
            ProposedAt = now, InForceFrom = now,
        });
        foreach (var party in Parties)
            db.RuleSetApprovals.Add(new RuleSetApproval { Version = protocol.Version, Party = party, ApprovedBy = ProtocolApproval, ApprovedAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another replica recorded it first.
        }
    }
}
