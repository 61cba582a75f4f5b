using IncidentExchange.Contracts.Alerts;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Drills.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Drills.Measuring;

/// <summary>What the drills measure: each party's stamps on exercise alerts, and the home party's release.</summary>
public static class Stamps
{
    public const string Delivered = "delivered";
    public const string Acknowledged = "acknowledged";
    public const string Responded = "responded";
    public const string Released = "released";

    /// <summary>The alert kinds that carry an inject's or a check's stamps (a withdrawal's alert does not).</summary>
    public static readonly string[] MeasuredKinds = ["report", "report-released", "communication-check"];

    /// <summary>
    /// Records an observation; of several for the same subject, party and stamp (two versions' alerts, messages that
    /// overtook each other) the earliest stands, whatever order they arrive in.
    /// </summary>
    public static async Task ObserveAsync(DrillsDb db, ConsumeContext context, string consumer, Observation observation)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException($"{consumer} got a message without an id.");
        await db.OnceAsync(messageId, consumer, () => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO observations (subject_id, party, stamp, at, by, recorded_at)
                VALUES ({observation.SubjectId}, {observation.Party}, {observation.Stamp}, {observation.At}, {observation.By}, {observation.RecordedAt})
                ON CONFLICT (subject_id, party, stamp) DO UPDATE SET at = excluded.at, by = excluded.by, recorded_at = excluded.recorded_at
                WHERE excluded.at < observations.at
                """, context.CancellationToken);
            db.MarkProcessed(messageId, consumer);
            await db.SaveChangesAsync(context.CancellationToken);
            await transaction.CommitAsync(context.CancellationToken);
        }), context.CancellationToken);
    }
}

public sealed class ExerciseAlertStampedConsumer(DrillsDb db, TimeProvider clock) : IConsumer<ExerciseAlertStamped>
{
    public Task Consume(ConsumeContext<ExerciseAlertStamped> context)
    {
        var m = context.Message;
        if (!Stamps.MeasuredKinds.Contains(m.Kind))
            return Task.CompletedTask;
        return Stamps.ObserveAsync(db, context, nameof(ExerciseAlertStampedConsumer), new Observation
        {
            SubjectId = m.ReportId, Party = m.Party, Stamp = m.Stamp, At = m.At, By = Truncate(m.By), RecordedAt = clock.GetUtcNow(),
        });
    }

    private static string? Truncate(string? by) => by is { Length: > 200 } ? by[..200] : by;
}

/// <summary>A home contact point released an exercise report: the time it took is measured from the inject's filing.</summary>
public sealed class ReportReleasedConsumer(DrillsDb db, TimeProvider clock) : IConsumer<ReportReleased>
{
    public Task Consume(ConsumeContext<ReportReleased> context)
    {
        var m = context.Message;
        if (!m.Exercise)
            return Task.CompletedTask;
        return Stamps.ObserveAsync(db, context, nameof(ReportReleasedConsumer), new Observation
        {
            SubjectId = m.ReportId, Party = m.FromParty, Stamp = Stamps.Released, At = m.ReleasedAt,
            By = m.ReleasedBy is { Length: > 200 } by ? by[..200] : m.ReleasedBy, RecordedAt = clock.GetUtcNow(),
        });
    }
}
