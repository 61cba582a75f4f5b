using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Translation.Data;

public sealed class TranslationDb(DbContextOptions<TranslationDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<TranslationRecord> Translations => Set<TranslationRecord>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TranslationRecord>(translation =>
        {
            translation.ToTable("translations");
            translation.Property(t => t.Field).HasMaxLength(64);
            translation.Property(t => t.SourceLanguage).HasMaxLength(16);
            translation.Property(t => t.TargetLanguage).HasMaxLength(16);
            translation.Property(t => t.SourceHash).HasMaxLength(64);
            translation.Property(t => t.Status).HasMaxLength(16);
            translation.Property(t => t.Engine).HasMaxLength(64);
            translation.Property(t => t.Model).HasMaxLength(128);
            translation.Property(t => t.LastError).HasMaxLength(500);
            translation.HasIndex(t => new { t.ReportId, t.Field, t.TargetLanguage, t.SourceHash }).IsUnique()
                .HasDatabaseName("ux_translations_source");
            translation.HasIndex(t => t.NextAttemptAt).HasFilter("status = 'pending'").HasDatabaseName("ix_translations_pending");
        });
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.UseSnakeCaseNames();
    }
}

/// <summary>
/// One field of a report rendered in one target language, keyed by the source text it was made from (its hash): a
/// later version that leaves the field unchanged keeps it, one that changes it gets a new one. A <c>pending</c> record is
/// also the engine's work queue: attempts, when to try next, and the last error.
/// </summary>
public sealed class TranslationRecord
{
    public long Id { get; init; }
    public Guid ReportId { get; init; }

    /// <summary>The report version whose text it was first made from.</summary>
    public int Version { get; init; }

    public required string Field { get; init; }
    public required string SourceLanguage { get; init; }
    public required string TargetLanguage { get; init; }
    public required string SourceHash { get; init; }
    public required string SourceText { get; init; }

    /// <summary>Names the report gives (model, developer), never sent to the engine.</summary>
    public required string[] ProtectedNames { get; init; }

    public string? Text { get; set; }
    public required string Status { get; set; }
    public required string Engine { get; set; }
    public string? Model { get; set; }
    public string[] GlossaryNotes { get; set; } = [];
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? TranslatedAt { get; set; }
}
