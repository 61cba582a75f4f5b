using IncidentExchange.Reports.Protocol;
using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Data;

public sealed class ReportsDb(DbContextOptions<ReportsDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Report> Reports => Set<Report>();
    public DbSet<ReportVersion> Versions => Set<ReportVersion>();
    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();
    public DbSet<Release> Releases => Set<Release>();
    public DbSet<ReportTranslation> Translations => Set<ReportTranslation>();
    public DbSet<TranslationReview> TranslationReviews => Set<TranslationReview>();
    public DbSet<QuestionThread> Threads => Set<QuestionThread>();
    public DbSet<ThreadMessage> ThreadMessages => Set<ThreadMessage>();
    public DbSet<CrossPartyRead> CrossPartyReads => Set<CrossPartyRead>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Report>(report =>
        {
            report.Property(r => r.Id).ValueGeneratedNever();
            report.Property(r => r.Party).HasMaxLength(8);
            report.Property(r => r.SubmittedBy).HasMaxLength(200);
            report.Property(r => r.Status).HasMaxLength(16);
            report.Property(r => r.Title).HasMaxLength(Report.TitleMaxLength);
            report.Property(r => r.Language).HasMaxLength(16);
            report.Property(r => r.Kind).HasMaxLength(16);
            report.Property(r => r.Category).HasMaxLength(64);
            report.Property(r => r.ModelName).HasMaxLength(Report.NameMaxLength);
            report.Property(r => r.ModelDeveloper).HasMaxLength(Report.NameMaxLength);
            report.Property(r => r.Tlp).HasMaxLength(16);
            report.Property(r => r.SeverityLabelEn).HasMaxLength(64);
            report.Property(r => r.SeverityLabelZh).HasMaxLength(64);
            report.Property(r => r.NullifiedBy).HasMaxLength(200);
            report.Property(r => r.NullifyReason).HasMaxLength(Report.ReasonMaxLength);
            report.HasIndex(r => new { r.Party, r.SubmittedAt });
            report.HasIndex(r => r.OrganisationId);
        });
        modelBuilder.Entity<ReportVersion>(version =>
        {
            version.ToTable("report_versions");
            version.HasKey(v => new { v.ReportId, v.Number });
            version.Property(v => v.Document).HasColumnType("jsonb");
            version.Property(v => v.CreatedBy).HasMaxLength(200);
            version.HasOne<Report>().WithMany().HasForeignKey(v => v.ReportId);
        });
        modelBuilder.Entity<IdempotencyRecord>(key =>
        {
            key.ToTable("idempotency_keys");
            key.HasKey(k => new { k.OrganisationId, k.Key });
            key.Property(k => k.Key).HasMaxLength(IdempotencyRecord.KeyMaxLength);
            key.Property(k => k.Operation).HasMaxLength(32);
            key.Property(k => k.RequestHash).HasMaxLength(64);
            key.HasOne<Report>().WithMany().HasForeignKey(k => k.ReportId);
        });
        modelBuilder.Entity<Release>(release =>
        {
            release.Property(r => r.Id).ValueGeneratedNever();
            release.Property(r => r.ToParty).HasMaxLength(8);
            release.Property(r => r.Tlp).HasMaxLength(16);
            release.Property(r => r.View).HasColumnType("jsonb");
            release.Property(r => r.ReleasedBy).HasMaxLength(200);
            release.HasIndex(r => new { r.ReportId, r.ToParty, r.ReleasedAt });
            release.HasOne<Report>().WithMany().HasForeignKey(r => r.ReportId);
        });
        modelBuilder.Entity<ReportTranslation>(translation =>
        {
            translation.HasKey(t => new { t.ReportId, t.Field, t.TargetLanguage, t.SourceHash });
            translation.Property(t => t.Field).HasMaxLength(64);
            translation.Property(t => t.SourceLanguage).HasMaxLength(16);
            translation.Property(t => t.TargetLanguage).HasMaxLength(16);
            translation.Property(t => t.Status).HasMaxLength(16);
            translation.Property(t => t.Engine).HasMaxLength(64);
            translation.Property(t => t.Model).HasMaxLength(128);
            translation.Property(t => t.SourceHash).HasMaxLength(64);
            translation.HasOne<Report>().WithMany().HasForeignKey(t => t.ReportId);
        });
        modelBuilder.Entity<TranslationReview>(review =>
        {
            review.ToTable("translation_reviews");
            review.Property(r => r.Id).ValueGeneratedNever();
            review.Property(r => r.Field).HasMaxLength(64);
            review.Property(r => r.TargetLanguage).HasMaxLength(16);
            review.Property(r => r.SourceHash).HasMaxLength(64);
            review.Property(r => r.ReviewedBy).HasMaxLength(200);
            review.Property(r => r.ReviewerParty).HasMaxLength(8);
            review.HasIndex(r => new { r.ReportId, r.ReviewedAt });
            review.HasOne<Report>().WithMany().HasForeignKey(r => r.ReportId);
        });
        modelBuilder.Entity<QuestionThread>(thread =>
        {
            thread.ToTable("question_threads");
            thread.Property(t => t.Id).ValueGeneratedNever();
            thread.Property(t => t.With).HasMaxLength(16);
            thread.Property(t => t.CounterpartParty).HasMaxLength(8);
            thread.Property(t => t.CreatedBy).HasMaxLength(200);
            thread.HasIndex(t => t.ReportId);
            thread.HasOne<Report>().WithMany().HasForeignKey(t => t.ReportId);
        });
        modelBuilder.Entity<ThreadMessage>(message =>
        {
            message.Property(m => m.Id).ValueGeneratedNever();
            message.Property(m => m.AuthorParty).HasMaxLength(8);
            message.Property(m => m.Author).HasMaxLength(200);
            message.Property(m => m.Body).HasMaxLength(ThreadMessage.BodyMaxLength);
            message.Property(m => m.Language).HasMaxLength(16);
            message.HasIndex(m => new { m.ThreadId, m.CreatedAt });
            message.HasOne<QuestionThread>().WithMany().HasForeignKey(m => m.ThreadId);
        });
        modelBuilder.Entity<CrossPartyRead>(read =>
        {
            read.ToTable("cross_party_reads");
            read.Property(r => r.ReaderParty).HasMaxLength(8);
            read.Property(r => r.Reader).HasMaxLength(200);
            read.Property(r => r.ReaderName).HasMaxLength(256);
            read.Property(r => r.ReportParty).HasMaxLength(8);
            read.Property(r => r.What).HasMaxLength(32);
            read.Property(r => r.Address).HasMaxLength(64);
            read.HasIndex(r => new { r.ReaderParty, r.Id });
            read.HasIndex(r => new { r.ReportParty, r.Id });
            read.HasIndex(r => new { r.Reader, r.ReportId });
        });
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.UseSnakeCaseNames();
    }
}

/// <summary>
/// A report of an AI incident: who filed it, where it stands, and the main facts of its current version (the
/// versions themselves are <see cref="ReportVersion"/>s) so that lists need not open documents.
/// </summary>
public sealed class Report
{
    public const int TitleMaxLength = 200;
    public const int NameMaxLength = 200;
    public const int ReasonMaxLength = 2000;

    public Guid Id { get; init; }
    public required string Party { get; init; }
    public Guid OrganisationId { get; init; }
    public required string SubmittedBy { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
    public bool Exercise { get; init; }

    /// <summary>The current version's number.</summary>
    public int Version { get; set; } = 1;
    public string Status { get; set; } = ReportStatus.Submitted;
    public DateTimeOffset UpdatedAt { get; set; }

    // The current version's main facts (Describe).
    public string Title { get; private set; } = "";
    public string Language { get; private set; } = "";
    public string Kind { get; private set; } = "";
    public string Category { get; private set; } = "";
    public DateTimeOffset OccurredAt { get; private set; }
    public string ModelName { get; private set; } = "";
    public string ModelDeveloper { get; private set; } = "";
    public string Tlp { get; private set; } = "";

    /// <summary>The latest assessment of the current version, once the Severity service has made one.</summary>
    public int? Severity { get; set; }
    public string? SeverityLabelEn { get; set; }
    public string? SeverityLabelZh { get; set; }

    public DateTimeOffset? NullifiedAt { get; set; }
    public string? NullifiedBy { get; set; }
    public string? NullifyReason { get; set; }

    /// <summary>Takes the main facts of a new current version; its assessment is yet to come.</summary>
    public void Describe(IncidentReport document)
    {
        Title = document.Title;
        Language = document.Language;
        Kind = document.Kind;
        Category = document.Category;
        OccurredAt = document.Timeline.OccurredAt.ToUniversalTime();
        ModelName = document.Model.Name;
        ModelDeveloper = document.Model.Developer;
        Tlp = document.Tlp;
        Severity = null;
        SeverityLabelEn = null;
        SeverityLabelZh = null;
    }
}

/// <summary>One version of a report, immutable once written: the protocol v1 document as the reporter sent it.</summary>
public sealed class ReportVersion
{
    public Guid ReportId { get; init; }
    public int Number { get; init; }
    public required string Document { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
}

/// <summary>
/// An organisation's <c>Idempotency-Key</c> and what it produced: the same key with the same request answers the
/// same result again; with another request it is refused.
/// </summary>
public sealed class IdempotencyRecord
{
    public const int KeyMaxLength = 200;

    public Guid OrganisationId { get; init; }
    public required string Key { get; init; }
    public required string Operation { get; init; }
    public required string RequestHash { get; init; }
    public Guid ReportId { get; init; }
    public int Version { get; init; }
    /// <summary>What the first request made besides a version, to answer again: a release's id.</summary>
    public Guid? ResultId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// A release of one version of a report to the counterpart party, under a TLP label, with some fields withheld.
/// <see cref="View"/> is exactly what the counterpart sees, fixed at the moment of release.
/// </summary>
public sealed class Release
{
    public Guid Id { get; init; }
    public Guid ReportId { get; init; }
    public int Version { get; init; }
    public required string ToParty { get; init; }
    public required string Tlp { get; init; }
    public required string[] Withheld { get; init; }
    public required string View { get; init; }
    public required string ReleasedBy { get; init; }
    public DateTimeOffset ReleasedAt { get; init; }
}

/// <summary>
/// A field of a report rendered into another language, as the Translation service reported it, for one source text
/// (<see cref="SourceHash"/>): a version that changes the field gets a new one, and the old one shows as stale.
/// </summary>
public sealed class ReportTranslation
{
    public Guid ReportId { get; init; }

    /// <summary>The version whose text it was first made from.</summary>
    public int Version { get; set; }

    public required string Field { get; init; }
    public required string SourceLanguage { get; set; }
    public required string TargetLanguage { get; init; }
    public required string SourceHash { get; init; }
    public string? Text { get; set; }
    public required string Status { get; set; }
    public required string Engine { get; set; }
    public string? Model { get; set; }
    public string[] GlossaryNotes { get; set; } = [];
    public DateTimeOffset? TranslatedAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>
/// A contact-point officer's correction of a translation: it is shown instead of the machine's, which stays on record.
/// Bound to the source text it corrects (<see cref="SourceHash"/>).
/// </summary>
public sealed class TranslationReview
{
    public Guid Id { get; init; }
    public Guid ReportId { get; init; }
    public required string Field { get; init; }
    public required string TargetLanguage { get; init; }
    public required string SourceHash { get; init; }
    public required string Text { get; init; }
    public required string ReviewedBy { get; init; }
    public required string ReviewerParty { get; init; }
    public DateTimeOffset ReviewedAt { get; init; }
}

/// <summary>
/// Follow-up questions on a report. <see cref="With"/> says who talks: <c>counterpart</c> — the two parties' contact
/// points (once the report was released to <see cref="CounterpartParty"/>); <c>lab</c> — the home contact point and the
/// filing organisation. Each side sees only the threads it is part of.
/// </summary>
public sealed class QuestionThread
{
    public const string WithCounterpart = "counterpart";
    public const string WithLab = "lab";

    public Guid Id { get; init; }
    public Guid ReportId { get; init; }
    public required string With { get; init; }
    public string? CounterpartParty { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>One question or answer in a thread, in its author's language.</summary>
public sealed class ThreadMessage
{
    public const int BodyMaxLength = 10_000;

    public Guid Id { get; init; }
    public Guid ThreadId { get; init; }
    public required string AuthorParty { get; init; }
    public Guid AuthorOrganisation { get; init; }
    public required string Author { get; init; }
    public required string Body { get; init; }
    public required string Language { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A read of a report by the other party's contact point (<see cref="Reading.CrossPartyReads"/>).</summary>
public sealed class CrossPartyRead
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public required string ReaderParty { get; init; }
    /// <summary>The reader's subject (a person's id or a client's).</summary>
    public required string Reader { get; init; }
    public string? ReaderName { get; init; }
    public Guid ReportId { get; init; }
    public required string ReportParty { get; init; }
    /// <summary><c>report</c>, <c>threads</c> or <c>inbox</c>.</summary>
    public required string What { get; init; }
    public string? Address { get; init; }
}

/// <summary>Where a report stands: submitted → triaged → assessed → released → closed, or nullified at any point.</summary>
public static class ReportStatus
{
    public const string Submitted = "submitted";
    public const string Triaged = "triaged";
    public const string Assessed = "assessed";
    public const string Released = "released";
    public const string Closed = "closed";
    public const string Nullified = "nullified";

    private static readonly string[] Order = [Submitted, Triaged, Assessed, Released];

    /// <summary>Moves forward only: a late event never takes a report back, and a closed or nullified report stays so.</summary>
    public static string Advance(string current, string next) =>
        current is Closed or Nullified || Array.IndexOf(Order, next) <= Array.IndexOf(Order, current) ? current : next;

    /// <summary>The statuses <see cref="Advance"/> moves forward to <paramref name="next"/>: those before it, neither closed nor nullified.</summary>
    public static string[] EarlierThan(string next) => Order[..Array.IndexOf(Order, next)];

    public static bool IsFinal(string status) => status is Closed or Nullified;
}
