using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Severity.Data;

public sealed class SeverityDb(DbContextOptions<SeverityDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<SeverityAssessment> Assessments => Set<SeverityAssessment>();
    public DbSet<RuleSetRecord> RuleSets => Set<RuleSetRecord>();
    public DbSet<RuleSetApproval> RuleSetApprovals => Set<RuleSetApproval>();
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
        modelBuilder.Entity<RuleSetRecord>(ruleSet =>
        {
            ruleSet.ToTable("rule_sets");
            ruleSet.HasKey(r => r.Version);
            ruleSet.Property(r => r.Version).HasMaxLength(16);
            ruleSet.Property(r => r.Document).HasColumnType("jsonb");
            ruleSet.Property(r => r.ProposedBy).HasMaxLength(200);
            ruleSet.Property(r => r.ProposedParty).HasMaxLength(8);
            ruleSet.HasIndex(r => r.InForceFrom);
        });
        modelBuilder.Entity<RuleSetApproval>(approval =>
        {
            approval.ToTable("rule_set_approvals");
            approval.HasKey(a => new { a.Version, a.Party });
            approval.Property(a => a.Version).HasMaxLength(16);
            approval.Property(a => a.Party).HasMaxLength(8);
            approval.Property(a => a.ApprovedBy).HasMaxLength(200);
            approval.HasOne<RuleSetRecord>().WithMany().HasForeignKey(a => a.Version);
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

/// <summary>
/// A version of the severity rule set as proposed by a party's admin. It is in force from <see cref="InForceFrom"/>,
/// the moment the last of the parties approved it; the one with the latest such moment is the one in force.
/// </summary>
public sealed class RuleSetRecord
{
    public required string Version { get; init; }
    public required string Document { get; init; }
    public required string ProposedBy { get; init; }
    public required string ProposedParty { get; init; }
    public DateTimeOffset ProposedAt { get; init; }
    public DateTimeOffset? InForceFrom { get; set; }
}

/// <summary>One party's approval of a rule-set version: who, when.</summary>
public sealed class RuleSetApproval
{
    public required string Version { get; init; }
    public required string Party { get; init; }
    public required string ApprovedBy { get; init; }
    public DateTimeOffset ApprovedAt { get; init; }
}
