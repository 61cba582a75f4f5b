using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Triage.Grouping;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace IncidentExchange.Triage.Data;

public sealed class TriageDb(DbContextOptions<TriageDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<TriageResult> Results => Set<TriageResult>();
    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<IncidentLink> Links => Set<IncidentLink>();
    public DbSet<LinkDecision> Decisions => Set<LinkDecision>();
    public DbSet<ReportFeatures> Features => Set<ReportFeatures>();
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
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.Entity<Incident>(incident =>
        {
            incident.Property(i => i.Party).HasMaxLength(8);
            incident.Property(i => i.Title).HasMaxLength(Incident.TitleMaxLength);
            incident.Property(i => i.Category).HasMaxLength(64);
            incident.HasIndex(i => new { i.Party, i.Exercise, i.UpdatedAt });
        });
        modelBuilder.Entity<IncidentLink>(link =>
        {
            link.ToTable("incident_links");
            link.HasKey(l => l.ReportId);
            link.Property(l => l.State).HasMaxLength(16);
            link.Property(l => l.Reason).HasMaxLength(IncidentLink.ReasonMaxLength);
            link.Property(l => l.DecidedBy).HasMaxLength(200);
            link.HasOne<Incident>().WithMany().HasForeignKey(l => l.IncidentId);
            link.HasIndex(l => l.IncidentId);
        });
        modelBuilder.Entity<LinkDecision>(decision =>
        {
            decision.ToTable("link_decisions");
            decision.Property(d => d.Decision).HasMaxLength(16);
            decision.Property(d => d.DecidedBy).HasMaxLength(200);
            decision.HasOne<Incident>().WithMany().HasForeignKey(d => d.IncidentId);
            decision.HasIndex(d => new { d.IncidentId, d.DecidedAt });
        });
        modelBuilder.Entity<ReportFeatures>(features =>
        {
            features.ToTable("report_features");
            features.HasKey(f => f.ReportId);
            features.Property(f => f.Party).HasMaxLength(8);
            features.Property(f => f.Category).HasMaxLength(64);
            features.Property(f => f.Title).HasMaxLength(Incident.TitleMaxLength);
            features.Property(f => f.ModelName).HasMaxLength(200);
            features.Property(f => f.ModelKey).HasMaxLength(200);
            features.Property(f => f.DeveloperKey).HasMaxLength(200);
            features.Property(f => f.Seq).UseIdentityAlwaysColumn();
            // Set by the database from the text (a trigger, migration 005_text_trigrams); read only by the grouping's SQL.
            features.Property<int[]?>("TextTrigrams").Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
            features.Property<int[]?>("TextTrigrams").Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
            features.HasIndex(f => new { f.Party, f.Exercise, f.OccurredAt });
            features.HasIndex(f => new { f.Party, f.Exercise, f.Seq });
            features.HasIndex(f => f.Indicators).HasMethod("gin").HasStorageParameter("fastupdate", false);
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
