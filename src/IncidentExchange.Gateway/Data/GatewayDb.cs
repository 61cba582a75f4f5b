using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Gateway.Data;

public sealed class GatewayDb(DbContextOptions<GatewayDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<PinnedPeer> Peers => Set<PinnedPeer>();
    public DbSet<RecordEntry> Record => Set<RecordEntry>();
    public DbSet<RefusedDocument> Refused => Set<RefusedDocument>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PinnedPeer>(peer =>
        {
            peer.HasKey(p => p.Party);
            peer.ToTable("peers");
            peer.Property(p => p.Party).HasMaxLength(8);
            peer.Property(p => p.Thumbprint).HasMaxLength(64);
        });
        modelBuilder.Entity<RecordEntry>(entry =>
        {
            entry.HasKey(e => e.Position);
            entry.ToTable("record_entries");
            entry.Property(e => e.Position).ValueGeneratedNever();
            entry.Property(e => e.Direction).HasMaxLength(8);
            entry.Property(e => e.Type).HasMaxLength(16);
            entry.Property(e => e.Link).HasMaxLength(32);
            entry.Property(e => e.Hash).HasMaxLength(64);
            entry.Property(e => e.Chain).HasMaxLength(64);
            entry.HasIndex(e => new { e.Direction, e.Type, e.Link, e.Seq }).IsUnique();
        });
        modelBuilder.Entity<RefusedDocument>(refused =>
        {
            refused.ToTable("refused_documents");
            refused.Property(r => r.Id).ValueGeneratedNever();
            refused.Property(r => r.Reason).HasMaxLength(1000);
        });
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.UseSnakeCaseNames();
    }
}

/// <summary>The other node's signing key, pinned from the descriptor it exported (pairing).</summary>
public sealed class PinnedPeer
{
    public required string Party { get; init; }
    public required string Thumbprint { get; init; }
    public required string Descriptor { get; init; }
    public DateTimeOffset PinnedAt { get; init; }
}

/// <summary>
/// One line of the node's append-only record: a document (envelope or receipt) it sent or received, exactly as signed,
/// its hash, and the chain hash that ties it to every line before it.
/// </summary>
public sealed class RecordEntry
{
    public const string Sent = "sent";
    public const string Received = "received";

    public long Position { get; init; }
    public required string Direction { get; init; }
    public required string Type { get; init; }
    public required string Link { get; init; }
    public long Seq { get; init; }
    public required string Hash { get; init; }
    public required string Document { get; init; }
    public required string Chain { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>Something that arrived on the link and was not applied: kept as it came, with why, for the node's admins.</summary>
public sealed class RefusedDocument
{
    public Guid Id { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public required string Reason { get; init; }
    public required string Document { get; init; }
}
