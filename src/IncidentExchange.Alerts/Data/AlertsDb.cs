using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Alerts.Data;

public sealed class AlertsDb(DbContextOptions<AlertsDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<PartySequence> PartySequences => Set<PartySequence>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Alert>(alert =>
        {
            alert.Property(a => a.Id).ValueGeneratedNever();
            alert.Property(a => a.Party).HasMaxLength(8);
            alert.Property(a => a.Kind).HasMaxLength(32);
            alert.Property(a => a.SeverityLabelEn).HasMaxLength(64);
            alert.Property(a => a.SeverityLabelZh).HasMaxLength(64);
            alert.Property(a => a.Title).HasMaxLength(200);
            alert.Property(a => a.Category).HasMaxLength(64);
            alert.HasIndex(a => new { a.Party, a.Sequence }).IsUnique();
            alert.HasIndex(a => new { a.ReportId, a.ReportVersion, a.Party, a.Kind }).IsUnique();
        });
        modelBuilder.Entity<PartySequence>(sequence =>
        {
            sequence.HasKey(s => s.Party);
            sequence.Property(s => s.Party).HasMaxLength(8);
        });
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.UseSnakeCaseNames();
    }
}

/// <summary>Something a party's contact point must see, numbered in that party's sequence.</summary>
public sealed class Alert
{
    /// <summary>A report of the party's own labs, assessed.</summary>
    public const string ReportKind = "report";
    /// <summary>A report the counterpart released to this party.</summary>
    public const string ReleasedKind = "report-released";
    /// <summary>A report released to this party was withdrawn at its source.</summary>
    public const string NullifiedKind = "report-nullified";

    public Guid Id { get; init; }
    public required string Party { get; init; }
    public long Sequence { get; init; }
    public required string Kind { get; init; }
    public Guid ReportId { get; init; }
    public int ReportVersion { get; init; }
    public int Severity { get; init; }
    public required string SeverityLabelEn { get; init; }
    public required string SeverityLabelZh { get; init; }
    public required string Title { get; init; }
    public required string Category { get; init; }
    public bool Exercise { get; init; }
    public DateTimeOffset RaisedAt { get; init; }
}

/// <summary>The last alert sequence number given out to a party; gaps never occur because it moves inside the alert's transaction.</summary>
public sealed class PartySequence
{
    public required string Party { get; init; }
    public long LastSequence { get; set; }
}
