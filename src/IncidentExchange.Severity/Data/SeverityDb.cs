using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Severity.Data;

public sealed class SeverityDb(DbContextOptions<SeverityDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<SeverityAssessment> Assessments => Set<SeverityAssessment>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SeverityAssessment>(assessment =>
        {
            assessment.HasKey(a => new { a.ReportId, a.Version });
            assessment.Property(a => a.Party).HasMaxLength(8);
            assessment.Property(a => a.Category).HasMaxLength(64);
            assessment.Property(a => a.RuleSetVersion).HasMaxLength(32);
        });
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.UseSnakeCaseNames();
    }
}

/// <summary>The severity of one report version, with the rule-set version that decided it.</summary>
public sealed class SeverityAssessment
{
    public Guid ReportId { get; init; }
    public int Version { get; init; }
    public required string Party { get; init; }
    public required string Category { get; init; }
    public required string[] Signals { get; init; }
    public int Level { get; init; }
    public required string RuleSetVersion { get; init; }
    public bool Exercise { get; init; }
    public DateTimeOffset AssessedAt { get; init; }
}
