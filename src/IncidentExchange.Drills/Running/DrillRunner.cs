using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentExchange.Contracts.Drills;
using IncidentExchange.Drills.Data;
using IncidentExchange.Drills.Scenarios;
using IncidentExchange.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Drills.Running;

/// <summary>Wakes the <see cref="DrillRunner"/> at once (a drill was started or resumed; tests that move the clock).</summary>
public sealed class DrillSignal : WakeSignal;

/// <summary>
/// Runs the drills on their clocks: starts scheduled ones when their time comes, sends a check drill's communication
/// checks, files each inject when the drill's clock reaches its offset, and finishes a drill once everything is in and
/// every expectation's limit has passed. All of it is read from and written to the database, so a restart of the
/// service in the middle of a drill goes on where it was.
/// </summary>
public sealed class DrillRunner(IServiceScopeFactory scopes, DrillSignal signal, TimeProvider clock, ILogger<DrillRunner> logger)
    : SweepingWorker(signal, logger)
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan LastRetry = TimeSpan.FromMinutes(5);

    protected override TimeSpan Sweep => TimeSpan.FromSeconds(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunDrillsAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A coordinator paused or stopped a drill after this sweep read it; what they did stands, and the next sweep starts from it.
            logger.LogInformation("A drill changed during the sweep; sweeping again.");
            signal.Wake();
        }
    }

    private async Task RunDrillsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DrillsDb>();
        var filer = scope.ServiceProvider.GetRequiredService<InjectFiler>();
        var now = clock.GetUtcNow();

        foreach (var drill in await db.Drills.Where(d => d.Status == Drill.Scheduled && d.StartsAt <= now).ToListAsync(cancellationToken))
        {
            drill.Status = Drill.Running;
            drill.StartedAt = drill.RunningSince = drill.StartsAt;
            logger.LogInformation("Drill {DrillId} ({Name}) started.", drill.Id, drill.Name);
        }
        await db.SaveChangesAsync(cancellationToken);

        foreach (var drill in await db.Drills.Where(d => d.Status == Drill.Running).OrderBy(d => d.StartsAt).ToListAsync(cancellationToken))
        {
            if (drill.Scenario is null)
                await RunCheckAsync(db, drill, cancellationToken);
            else
                await RunScenarioAsync(db, filer, drill, cancellationToken);
        }
    }

    /// <summary>Sends the checks, each party's in one transaction with its message; finishes once each was acknowledged or its limit passed.</summary>
    private async Task RunCheckAsync(DrillsDb db, Drill drill, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var checks = await db.Checks.Where(c => c.DrillId == drill.Id).ToListAsync(cancellationToken);
        if (checks.Count == 0)
        {
            foreach (var party in drill.Parties)
            {
                var check = new Check { Id = NewId.NextGuid(), DrillId = drill.Id, Party = party, AcknowledgeWithinMinutes = drill.CheckAcknowledgeWithinMinutes ?? 15, SentAt = now };
                db.Checks.Add(check);
                db.Publish(new CommunicationCheckSent(check.Id, drill.Id, party, $"EXERCISE — communication check: acknowledge within {check.AcknowledgeWithinMinutes} minutes",
                    check.AcknowledgeWithinMinutes, now));
                checks.Add(check);
            }
            db.Entry(drill).Property(d => d.Status).IsModified = true; // no checks go out for a drill stopped since it was read
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Drill {DrillId}: communication checks sent to {Parties}.", drill.Id, string.Join(", ", drill.Parties));
            return;
        }
        var ids = checks.Select(c => c.Id).ToList();
        var acknowledged = await db.Observations.Where(o => ids.Contains(o.SubjectId) && o.Stamp == Measuring.Stamps.Acknowledged)
            .Select(o => o.SubjectId).ToListAsync(cancellationToken);
        if (checks.All(c => acknowledged.Contains(c.Id) || now >= c.SentAt.AddMinutes(c.AcknowledgeWithinMinutes)))
            Finish(drill, now);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task RunScenarioAsync(DrillsDb db, InjectFiler filer, Drill drill, CancellationToken cancellationToken)
    {
        var injects = await db.Injects.Where(i => i.DrillId == drill.Id).OrderBy(i => i.Sequence).ToListAsync(cancellationToken);
        foreach (var inject in injects.Where(i => i.FiledAt is null && i.FailedAt is null))
        {
            var now = clock.GetUtcNow();
            if (drill.ElapsedAt(now) < TimeSpan.FromMinutes(inject.OffsetMinutes))
                break; // injects go in order: a later one never overtakes an earlier one that is waiting to be retried
            if (inject.NextAttemptAt > now)
                break;
            await FileAsync(db, filer, drill, inject, cancellationToken);
            if (inject.FiledAt is null && inject.FailedAt is null)
                break;
        }

        var end = clock.GetUtcNow();
        if (injects.All(i => i.FiledAt is not null || i.FailedAt is not null) &&
            injects.Where(i => i.FiledAt is not null).All(i => end >= i.FiledAt!.Value.AddMinutes(LongestLimit(i))))
            Finish(drill, end);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task FileAsync(DrillsDb db, InjectFiler filer, Drill drill, Inject inject, CancellationToken cancellationToken)
    {
        if (inject.Request is null)
        {
            // The body is fixed before the first attempt, so that every retry is the same request under the same key.
            inject.Request = RequestBody(inject, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
        var outcome = await filer.FileAsync(inject.Id, inject.Lab, inject.Request, cancellationToken);
        var now = clock.GetUtcNow();
        inject.Attempts++;
        switch (outcome)
        {
            case InjectFiler.Filed filed:
                inject.FiledAt = now;
                inject.ReportId = filed.ReportId;
                inject.Error = null;
                logger.LogInformation("Drill {DrillId}: inject {Sequence} filed as report {ReportId}.", drill.Id, inject.Sequence, filed.ReportId);
                break;
            case InjectFiler.Refused refused:
                inject.FailedAt = now;
                inject.Error = Truncate(refused.Reason);
                logger.LogWarning("Drill {DrillId}: inject {Sequence} refused: {Reason}", drill.Id, inject.Sequence, refused.Reason);
                break;
            case InjectFiler.Failed failed:
                var wait = TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, FirstRetry.Ticks << Math.Min(inject.Attempts - 1, 10)));
                inject.NextAttemptAt = now + wait;
                inject.Error = Truncate(failed.Reason);
                logger.LogWarning("Drill {DrillId}: inject {Sequence} not filed ({Reason}); trying again in {Wait}.", drill.Id, inject.Sequence, failed.Reason, wait);
                break;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The template as the Reports API takes it, marked as exercise, with its timeline relative to now.</summary>
    public static string RequestBody(Inject inject, DateTimeOffset now)
    {
        var report = JsonNode.Parse(inject.Template)!.AsObject();
        var occurredBefore = report["occurredMinutesBefore"]?.GetValue<int>() ?? 0;
        report.Remove("occurredMinutesBefore");
        report["timeline"] = new JsonObject { ["occurredAt"] = now.AddMinutes(-occurredBefore).ToString("O"), ["detectedAt"] = now.ToString("O") };
        report["exercise"] = true;
        return report.ToJsonString();
    }

    private static int LongestLimit(Inject inject) =>
        JsonSerializer.Deserialize<List<Expectation>>(inject.Expectations, JsonSerializerOptions.Web) is { Count: > 0 } expected
            ? expected.Max(e => e.WithinMinutes)
            : 0;

    private void Finish(Drill drill, DateTimeOffset now)
    {
        drill.ElapsedMs = (long)drill.ElapsedAt(now).TotalMilliseconds;
        drill.RunningSince = null;
        drill.Status = Drill.Finished;
        drill.EndedAt = now;
        logger.LogInformation("Drill {DrillId} ({Name}) finished.", drill.Id, drill.Name);
    }

    private static string Truncate(string text) => text.Length > 1000 ? text[..1000] : text;
}
