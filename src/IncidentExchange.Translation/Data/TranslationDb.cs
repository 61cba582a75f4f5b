using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Translation.Data;

public sealed class TranslationDb(DbContextOptions<TranslationDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<FieldTranslationRecord> Translations => Set<FieldTranslationRecord>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FieldTranslationRecord>(translation =>
        {
            translation.ToTable("translations");
            translation.HasKey(t => new { t.ReportId, t.Version, t.Field, t.TargetLanguage });
            translation.Property(t => t.Field).HasMaxLength(64);
            translation.Property(t => t.SourceLanguage).HasMaxLength(16);
            translation.Property(t => t.TargetLanguage).HasMaxLength(16);
            translation.Property(t => t.Status).HasMaxLength(16);
            translation.Property(t => t.Engine).HasMaxLength(64);
            translation.Property(t => t.SourceHash).HasMaxLength(64);
        });
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.UseSnakeCaseNames();
    }
}

/// <summary>One field of one report version in one target language, with where the text came from.</summary>
public sealed class FieldTranslationRecord
{
    public Guid ReportId { get; init; }
    public int Version { get; init; }
    public required string Field { get; init; }
    public required string SourceLanguage { get; init; }
    public required string TargetLanguage { get; init; }
    public string? Text { get; init; }
    public required string Status { get; init; }
    public required string Engine { get; init; }
    public required string SourceHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
