using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Drills.Data;

public sealed class DrillsDb(DbContextOptions<DrillsDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Drill> Drills => Set<Drill>();
    public DbSet<Inject> Injects => Set<Inject>();
    public DbSet<Check> Checks => Set<Check>();
    public DbSet<Observation> Observations => Set<Observation>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Drill>(drill =>
        {
            drill.Property(d => d.Id).ValueGeneratedNever();
            drill.Property(d => d.Name).HasMaxLength(200);
            drill.Property(d => d.Scenario).HasMaxLength(64);
            drill.Property(d => d.Status).HasMaxLength(16);
            drill.Property(d => d.CreatedBy).HasMaxLength(200);
            drill.Property(d => d.CreatedParty).HasMaxLength(8);
            drill.Property(d => d.Version).HasColumnName("xmin").IsRowVersion();
            drill.HasIndex(d => d.Status).HasFilter("status IN ('scheduled', 'running')").HasDatabaseName("ix_drills_active");
        });
        modelBuilder.Entity<Inject>(inject =>
        {
            inject.Property(i => i.Id).ValueGeneratedNever();
            inject.Property(i => i.Party).HasMaxLength(8);
            inject.Property(i => i.Lab).HasMaxLength(64);
            inject.Property(i => i.Title).HasMaxLength(200);
            inject.Property(i => i.Template).HasColumnType("jsonb");
            inject.Property(i => i.Expectations).HasColumnType("jsonb");
            inject.Property(i => i.Error).HasMaxLength(1000);
            inject.HasIndex(i => new { i.DrillId, i.Sequence }).IsUnique();
            inject.HasIndex(i => i.ReportId);
            inject.HasOne<Drill>().WithMany().HasForeignKey(i => i.DrillId);
        });
        modelBuilder.Entity<Check>(check =>
        {
            check.Property(c => c.Id).ValueGeneratedNever();
            check.Property(c => c.Party).HasMaxLength(8);
            check.HasIndex(c => new { c.DrillId, c.Party }).IsUnique();
            check.HasOne<Drill>().WithMany().HasForeignKey(c => c.DrillId);
        });
        modelBuilder.Entity<Observation>(observation =>
        {
            observation.HasKey(o => new { o.SubjectId, o.Party, o.Stamp });
            observation.Property(o => o.Party).HasMaxLength(8);
            observation.Property(o => o.Stamp).HasMaxLength(16);
            observation.Property(o => o.By).HasMaxLength(200);
        });
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.UseSnakeCaseNames();
    }
}

/// <summary>
/// An exercise: a scenario's injects filed at their offsets, or a communication check to each party. Its clock is the
/// time it has been running: <see cref="ElapsedMs"/> accumulated before the current run, plus the time since
/// <see cref="RunningSince"/> — so pausing stops the injects' clock, and a restart of the service loses nothing.
/// </summary>
public sealed class Drill
{
    public const string Scheduled = "scheduled";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Stopped = "stopped";
    public const string Finished = "finished";

    public Guid Id { get; init; }
    public required string Name { get; init; }

    /// <summary>The scenario's id; null for a communication check.</summary>
    public string? Scenario { get; init; }

    public required string[] Parties { get; init; }
    public required string Status { get; set; }
    public required string CreatedBy { get; init; }
    public required string CreatedParty { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? RunningSince { get; set; }
    public long ElapsedMs { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>A communication check's limit for acknowledging, in minutes.</summary>
    public int? CheckAcknowledgeWithinMinutes { get; init; }

    /// <summary>PostgreSQL's <c>xmin</c>: the runner's change to a drill fails if a coordinator changed it since the runner read it.</summary>
    public uint Version { get; set; }

    public TimeSpan ElapsedAt(DateTimeOffset now) =>
        TimeSpan.FromMilliseconds(ElapsedMs) + (RunningSince is { } since && now > since ? now - since : TimeSpan.Zero);
}

/// <summary>
/// One inject of a drill, copied from its scenario when the drill was created: filed through the Reports API as its lab
/// when the drill's clock reaches its offset. <see cref="Request"/> is the body as first sent, so that a retry after a
/// crash sends the same request under the same Idempotency-Key (the inject's id) and files nothing twice.
/// </summary>
public sealed class Inject
{
    public Guid Id { get; init; }
    public Guid DrillId { get; init; }
    public int Sequence { get; init; }
    public int OffsetMinutes { get; init; }
    public required string Party { get; init; }
    public required string Lab { get; init; }
    public required string Title { get; init; }
    public required string Template { get; init; }

    /// <summary>JSON <c>[{party: home|counterpart, action: acknowledge|release|respond, withinMinutes}]</c>.</summary>
    public required string Expectations { get; init; }

    public string? Request { get; set; }
    public DateTimeOffset? FiledAt { get; set; }
    public Guid? ReportId { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? Error { get; set; }

    /// <summary>Reports refused it (an invalid template): it is not tried again.</summary>
    public DateTimeOffset? FailedAt { get; set; }
}

/// <summary>A communication check sent to one party's contact point; Alerts raises it as an exercise alert with this id.</summary>
public sealed class Check
{
    public Guid Id { get; init; }
    public Guid DrillId { get; init; }
    public required string Party { get; init; }
    public int AcknowledgeWithinMinutes { get; init; }
    public DateTimeOffset SentAt { get; init; }
}

/// <summary>
/// What a party's system recorded about exercise traffic: <c>delivered</c>, <c>acknowledged</c>, <c>responded</c>
/// (stamps of its alert), or <c>released</c> (its contact point released the report) — the earliest of each stands. The
/// subject is a report or a check. Kept for all exercise traffic, so that a stamp that arrives before the drill has
/// recorded the inject's report id is not lost.
/// </summary>
public sealed class Observation
{
    public Guid SubjectId { get; init; }
    public required string Party { get; init; }
    public required string Stamp { get; init; }
    public DateTimeOffset At { get; init; }
    public string? By { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}
