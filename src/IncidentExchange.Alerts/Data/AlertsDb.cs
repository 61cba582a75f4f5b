using IncidentExchange.Contracts.Alerts;
using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace IncidentExchange.Alerts.Data;

public sealed class AlertsDb(DbContextOptions<AlertsDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<PartySequence> PartySequences => Set<PartySequence>();
    public DbSet<Escalation> Escalations => Set<Escalation>();
    public DbSet<PartySettings> PartySettings => Set<PartySettings>();
    public DbSet<TitleTranslation> TitleTranslations => Set<TitleTranslation>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        AnnounceExerciseStamps();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        AnnounceExerciseStamps();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>
    /// Every stamp an exercise alert gets, wherever in this service it is set, goes out as <see cref="ExerciseAlertStamped"/>
    /// in the same transaction: drills are measured from these. Real alerts are not announced.
    /// </summary>
    private void AnnounceExerciseStamps()
    {
        ChangeTracker.DetectChanges();
        foreach (var entry in ChangeTracker.Entries<Alert>().Where(e => e.Entity.Exercise).ToList())
        {
            var alert = entry.Entity;
            if (entry.State == EntityState.Added)
                Announce("delivered", alert.RaisedAt, null);
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                if (alert.AcknowledgedAt is { } acknowledged && (entry.State == EntityState.Added || entry.Property(a => a.AcknowledgedAt).OriginalValue is null))
                    Announce("acknowledged", acknowledged, alert.AcknowledgedBy);
                if (alert.RespondedAt is { } responded && (entry.State == EntityState.Added || entry.Property(a => a.RespondedAt).OriginalValue is null))
                    Announce("responded", responded, alert.RespondedBy);
            }
            void Announce(string stamp, DateTimeOffset at, string? by) =>
                this.Publish(new ExerciseAlertStamped(alert.Id, alert.Party, alert.Kind, alert.ReportId, alert.ReportVersion, stamp, at, by));
        }
    }

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
            alert.Property(a => a.FromParty).HasMaxLength(8);
            alert.Property(a => a.RuleSetVersion).HasMaxLength(16);
            alert.Property(a => a.AcknowledgedBy).HasMaxLength(200);
            alert.Property(a => a.RespondedBy).HasMaxLength(200);
            alert.Property(a => a.ResponseKind).HasMaxLength(16);
            alert.Property(a => a.CounterpartNotifiedBy).HasMaxLength(200);
            alert.Property(a => a.EscalationLadder).HasColumnType("jsonb");
            alert.Property(a => a.TitleHash).HasMaxLength(64);
            alert.Property(a => a.TitleTranslations).HasColumnType("jsonb");
            alert.HasIndex(a => a.TitleHash);
            // Numbered by the database as the alert is inserted (migration 010_sequence_on_insert), and read back.
            alert.Property(a => a.Sequence).ValueGeneratedOnAdd().Metadata.SetValueGenerationStrategy(NpgsqlValueGenerationStrategy.None);
            alert.HasIndex(a => new { a.Party, a.Sequence }).IsUnique();
            alert.HasIndex(a => a.AcknowledgeDueAt).HasFilter("acknowledged_at IS NULL").HasDatabaseName("ix_alerts_awaiting_acknowledgement");
            alert.HasIndex(a => new { a.Party, a.IncidentId, a.Sequence })
                .HasFilter("kind = 'report' AND acknowledged_at IS NULL AND grouped_under IS NULL AND NOT digest").HasDatabaseName("ix_alerts_storm_leads");
            alert.HasIndex(a => a.GroupedUnder).HasFilter("acknowledged_at IS NULL AND grouped_under IS NOT NULL").HasDatabaseName("ix_alerts_folded_unacknowledged");
            alert.HasIndex(a => a.Party).HasFilter("digest AND digested_at IS NULL").HasDatabaseName("ix_alerts_undigested");
            alert.HasIndex(a => a.RespondDueAt).HasFilter("responded_at IS NULL").HasDatabaseName("ix_alerts_awaiting_response");
            alert.HasIndex(a => a.NotifyCounterpartDueAt).HasFilter("counterpart_notified_at IS NULL").HasDatabaseName("ix_alerts_awaiting_counterpart_notice");
            alert.HasIndex(a => new { a.ReportId, a.ReportVersion, a.Party, a.Kind }).IsUnique();
            alert.HasIndex(a => a.NextEscalationAt).HasFilter("next_escalation_at IS NOT NULL").HasDatabaseName("ix_alerts_escalation_due");
        });
        modelBuilder.Entity<Escalation>(escalation =>
        {
            escalation.Property(e => e.Id).ValueGeneratedNever();
            escalation.Property(e => e.Stamp).HasMaxLength(16);
            escalation.Property(e => e.Role).HasMaxLength(32);
            escalation.Property(e => e.Party).HasMaxLength(8);
            escalation.Property(e => e.Outcome).HasMaxLength(500);
            escalation.HasIndex(e => new { e.AlertId, e.Stamp, e.Step }).IsUnique();
            escalation.HasIndex(e => e.RecordedAt).HasFilter("notified_at IS NULL").HasDatabaseName("ix_escalations_unnotified");
            escalation.HasOne<Alert>().WithMany().HasForeignKey(e => e.AlertId);
        });
        modelBuilder.Entity<PartySettings>(settings =>
        {
            settings.HasKey(p => p.Party);
            settings.Property(p => p.Party).HasMaxLength(8);
            settings.Property(p => p.UpdatedBy).HasMaxLength(200);
        });
        modelBuilder.Entity<TitleTranslation>(translation =>
        {
            translation.HasKey(t => new { t.SourceHash, t.TargetLanguage });
            translation.Property(t => t.SourceHash).HasMaxLength(64);
            translation.Property(t => t.TargetLanguage).HasMaxLength(16);
            translation.Property(t => t.SourceLanguage).HasMaxLength(16);
            translation.Property(t => t.Text).HasMaxLength(4000);
            translation.Property(t => t.Status).HasMaxLength(16);
            translation.Property(t => t.Engine).HasMaxLength(64);
            translation.Property(t => t.Model).HasMaxLength(128);
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
    /// <summary>A coordinator's communication check (exercise traffic): <see cref="ReportId"/> is the check's id.</summary>
    public const string CheckKind = "communication-check";

    /// <summary>What a communication check records as its rule set: its limit is the check's own.</summary>
    public const string CheckRuleSet = "check";

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

    /// <summary>When the receiving party's system stored it: the <em>delivered</em> stamp.</summary>
    public DateTimeOffset RaisedAt { get; init; }

    /// <summary>The party whose release this alert announces (released and withdrawn reports); null for a party's own.</summary>
    public string? FromParty { get; init; }

    /// <summary>The rule set whose limits apply.</summary>
    public required string RuleSetVersion { get; init; }

    public DateTimeOffset? AcknowledgeDueAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
    public DateTimeOffset? RespondDueAt { get; init; }
    public DateTimeOffset? RespondedAt { get; set; }
    public string? RespondedBy { get; set; }

    /// <summary>What the first substantive reply was: <c>message</c> (in a follow-up thread), <c>release</c>, or <c>written</c>.</summary>
    public string? ResponseKind { get; set; }

    public string? ResponseText { get; set; }

    /// <summary>
    /// For a party's own report at a level the rule set says must go to the counterpart: by when, and when its contact
    /// point released it (the first release stands).
    /// </summary>
    public DateTimeOffset? NotifyCounterpartDueAt { get; init; }
    public DateTimeOffset? CounterpartNotifiedAt { get; set; }
    public string? CounterpartNotifiedBy { get; set; }

    /// <summary>The ladder of the rule set that set the limits, as JSON <c>[{afterMinutes, role}]</c>: how this alert escalates.</summary>
    public required string EscalationLadder { get; init; }

    /// <summary>
    /// When the next step of the ladder falls due: the earliest step not yet recorded of a clock not yet stamped; null
    /// when there is none (every clock stamped, the ladder done, or the alert folded under another). The escalation sweep
    /// reads alerts by it, so that its cost follows the steps due, not the alerts left unanswered.
    /// </summary>
    public DateTimeOffset? NextEscalationAt { get; set; }

    /// <summary>The incident triage linked the report to (a party's own reports only).</summary>
    public Guid? IncidentId { get; init; }

    /// <summary>
    /// Storm control: the earlier, still unacknowledged alert of the same incident this one is folded under. It is
    /// stored, numbered and listed like any other, but does not escalate on its own; acknowledging the lead acknowledges it.
    /// </summary>
    public Guid? GroupedUnder { get; init; }

    /// <summary>Storm control: a low level the party sends to its digest instead of alerting live.</summary>
    public bool Digest { get; init; }

    /// <summary>When the digest that carried it was sent.</summary>
    public DateTimeOffset? DigestedAt { get; set; }

    /// <summary>SHA-256 of <see cref="Title"/> as Translation computes it: which title translations are this title's.</summary>
    public string? TitleHash { get; init; }

    /// <summary>The title in the other language(s), as JSON <c>[TitleTranslation.View]</c>; empty until Translation has rendered it.</summary>
    public string TitleTranslations { get; set; } = "[]";
}

/// <summary>
/// A title as Translation rendered it into one language, by the hash of the source text: alerts showing that text take
/// it, whether it came before or after them.
/// </summary>
public sealed class TitleTranslation
{
    public required string SourceHash { get; init; }
    public required string TargetLanguage { get; init; }
    public required string SourceLanguage { get; set; }
    public string? Text { get; set; }

    /// <summary><c>glossary</c>, <c>machine</c>, <c>pending</c>, <c>untranslated</c> (as in <c>ReportTranslated</c>).</summary>
    public required string Status { get; set; }

    public required string Engine { get; set; }
    public string? Model { get; set; }
    public DateTimeOffset? TranslatedAt { get; set; }

    /// <summary>As alerts carry it (protocols/http-api.md, Alert <c>titleTranslations</c>).</summary>
    public sealed record View(string SourceLanguage, string TargetLanguage, string? Text, string Status, string Engine, string? Model, DateTimeOffset? TranslatedAt);

    public View ToView() => new(SourceLanguage, TargetLanguage, Text, Status, Engine, Model, TranslatedAt);
}

/// <summary>A party's storm-control settings, set by its <c>admin</c>: which levels go to a digest, and how often it is sent.</summary>
public sealed class PartySettings
{
    public const int MaxDigestLevel = 2;

    public required string Party { get; init; }

    /// <summary>Alerts of this level and below go to the digest; 0: none (every alert is live).</summary>
    public int DigestUpToLevel { get; set; }

    public int DigestEveryMinutes { get; set; } = 60;
    public DateTimeOffset? LastDigestAt { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

/// <summary>
/// A step of the escalation ladder taken for an alert whose stamp is overdue: recorded once (the unique index), then
/// notified — pushed to the role's connections and sent on the notification channel; <see cref="NotifiedAt"/> stays
/// empty until that was done, so that a restart in between sends it then.
/// </summary>
public sealed class Escalation
{
    public Guid Id { get; init; }
    public Guid AlertId { get; init; }
    public required string Party { get; init; }

    /// <summary><c>acknowledged</c> or <c>responded</c>: the stamp that is overdue.</summary>
    public required string Stamp { get; init; }

    public int Step { get; init; }
    public required string Role { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public DateTimeOffset? NotifiedAt { get; set; }

    /// <summary>Tries of the notification channel; after a failure the next is at <see cref="NextAttemptAt"/>.</summary>
    public int Attempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>What the channels did: who was e-mailed, or why not.</summary>
    public string? Outcome { get; set; }
}

/// <summary>The last alert sequence number given out to a party; gaps never occur because it moves inside the alert's transaction.</summary>
public sealed class PartySequence
{
    public required string Party { get; init; }
    public long LastSequence { get; set; }
}
