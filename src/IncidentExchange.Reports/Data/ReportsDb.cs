using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Data;

public sealed class ReportsDb(DbContextOptions<ReportsDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Report> Reports => Set<Report>();
    public DbSet<ReportTranslation> Translations => Set<ReportTranslation>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Report>(report =>
        {
            report.Property(r => r.Id).ValueGeneratedNever();
            report.Property(r => r.Party).HasMaxLength(8);
            report.Property(r => r.SubmittedBy).HasMaxLength(200);
            report.Property(r => r.Title).HasMaxLength(Report.TitleMaxLength);
            report.Property(r => r.Summary).HasMaxLength(Report.SummaryMaxLength);
            report.Property(r => r.Language).HasMaxLength(16);
            report.Property(r => r.Category).HasMaxLength(64);
            report.Property(r => r.ModelName).HasMaxLength(Report.NameMaxLength);
            report.Property(r => r.ModelDeveloper).HasMaxLength(Report.NameMaxLength);
            report.Property(r => r.Tlp).HasMaxLength(16);
            report.HasIndex(r => new { r.Party, r.SubmittedAt });
            report.HasIndex(r => r.OrganisationId);
        });
        modelBuilder.Entity<ReportTranslation>(translation =>
        {
            translation.HasKey(t => new { t.ReportId, t.Version, t.Field, t.TargetLanguage });
            translation.Property(t => t.Field).HasMaxLength(64);
            translation.Property(t => t.SourceLanguage).HasMaxLength(16);
            translation.Property(t => t.TargetLanguage).HasMaxLength(16);
            translation.Property(t => t.Status).HasMaxLength(16);
            translation.Property(t => t.Engine).HasMaxLength(64);
            translation.Property(t => t.SourceHash).HasMaxLength(64);
            translation.HasOne<Report>().WithMany().HasForeignKey(t => t.ReportId);
        });
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.UseSnakeCaseNames();
    }
}

/// <summary>A lab's (or contact point's) report of an AI incident, as filed.</summary>
public sealed class Report
{
    public const int TitleMaxLength = 200;
    public const int SummaryMaxLength = 20_000;
    public const int NameMaxLength = 200;

    public Guid Id { get; init; }
    public int Version { get; init; } = 1;
    public required string Party { get; init; }
    public Guid OrganisationId { get; init; }
    public required string SubmittedBy { get; init; }
    public required string Title { get; init; }
    public required string Summary { get; init; }
    public required string Language { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public required string Category { get; init; }
    public required string ModelName { get; init; }
    public required string ModelDeveloper { get; init; }
    public required string Tlp { get; init; }
    public bool Exercise { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
}

/// <summary>A field of a report version rendered into another language, as the Translation service reported it.</summary>
public sealed class ReportTranslation
{
    public Guid ReportId { get; init; }
    public int Version { get; init; }
    public required string Field { get; init; }
    public required string SourceLanguage { get; set; }
    public required string TargetLanguage { get; init; }
    public string? Text { get; set; }
    public required string Status { get; set; }
    public required string Engine { get; set; }
    public required string SourceHash { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}
