using IncidentExchange.Triage.Data;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Triage.Grouping;

/// <summary>
/// Decides and commits new reports' links one party (and exercise flag) at a time, and all the reports that came while
/// the one before held the party's lock together: one lock, one read, one save and one commit for them. Under load
/// the lock, held for three round trips, was what a party's reports queued behind (in one run at 50 reports/s, half of
/// them waited 100 ms or more for it, and at 75/s they fell seconds behind); alone, a report goes through as it did
/// before, with nothing waited for.
/// </summary>
public sealed class GroupingBatches(IServiceScopeFactory scopes, ILogger<GroupingBatches> logger)
{
    /// <summary>At most this many reports in one transaction (each consumer has 8 messages in work at most).</summary>
    private const int MaxBatch = 32;

    private sealed record Waiting(Grouper.Prepared Report, Action<TriageDb, IncidentLink> Write)
    {
        public TaskCompletionSource<IncidentLink> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The reports of each party and exercise flag that wait; a key is here while a batch of it is being committed.</summary>
    private readonly Dictionary<(string Party, bool Exercise), List<Waiting>> _queues = [];

    /// <summary>
    /// Decides the report's link under its party's lock, with the others that wait, and commits it together with what
    /// <paramref name="write"/> adds for it. A failed batch is tried again one report at a time, so that one report's
    /// failure (a duplicate, say) is its own: that is the one thrown here.
    /// </summary>
    internal Task<IncidentLink> CommitAsync(Grouper.Prepared report, Action<TriageDb, IncidentLink> write, CancellationToken cancellationToken)
    {
        var waiting = new Waiting(report, write);
        var key = (report.Features.Party, report.Features.Exercise);
        var start = false;
        lock (_queues)
        {
            if (!_queues.TryGetValue(key, out var queue))
            {
                _queues[key] = queue = [];
                start = true;
            }
            queue.Add(waiting);
        }
        if (start)
            _ = Task.Run(() => CommitWaitingAsync(key));
        // The commit goes on when the caller stops waiting (a shutdown); its message is then delivered again and dropped
        // by the inbox, or done again if the commit failed.
        return waiting.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Commits what waits for the key, batch after batch, until nothing does.</summary>
    private async Task CommitWaitingAsync((string Party, bool Exercise) key)
    {
        while (true)
        {
            List<Waiting> batch;
            lock (_queues)
            {
                var queue = _queues[key];
                if (queue.Count == 0)
                {
                    _queues.Remove(key);
                    return;
                }
                batch = [.. queue.Take(MaxBatch)];
                queue.RemoveRange(0, batch.Count);
            }
            try
            {
                await CommitAsync(batch);
            }
            catch (Exception e) when (batch.Count > 1)
            {
                logger.LogDebug(e, "A batch of {Count} reports of {Party} failed; committing them one at a time.", batch.Count, key.Party);
                foreach (var one in batch)
                {
                    try
                    {
                        await CommitAsync([one]);
                    }
                    catch (Exception failure)
                    {
                        one.Done.TrySetException(failure);
                    }
                }
            }
            catch (Exception e)
            {
                batch[0].Done.TrySetException(e);
            }
        }
    }

    private async Task CommitAsync(List<Waiting> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TriageDb>();
        var grouper = scope.ServiceProvider.GetRequiredService<Grouper>();
        var links = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var links = await grouper.DecideAsync([.. batch.Select(w => w.Report)], CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
                batch[i].Write(db, links[i]);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return links;
        });
        for (var i = 0; i < batch.Count; i++)
            batch[i].Done.TrySetResult(links[i]);
    }
}
