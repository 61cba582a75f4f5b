using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Triage.Data;

public sealed class TriageDb(DbContextOptions<TriageDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<TriageResult> Results => Set<TriageResult>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TriageResult>(result =>
        {
            result.HasKey(r => new { r.ReportId, r.Version });
            result.Property(r => r.Party).HasMaxLength(8);
            result.Property(r => r.Category).HasMaxLength(64);
            result.Property(r => r.SuggestedCategory).HasMaxLength(64);
        });
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.UseSnakeCaseNames();
    }
}

/// <summary>How triage classified one version of a report.</summary>
public sealed class TriageResult
{
    public Guid ReportId { get; init; }
    public int Version { get; init; }
    public required string Party { get; init; }
    public required string Category { get; init; }
    public string? SuggestedCategory { get; init; }
    public required string[] Signals { get; init; }
    public bool Exercise { get; init; }
    public DateTimeOffset TriagedAt { get; init; }
}
