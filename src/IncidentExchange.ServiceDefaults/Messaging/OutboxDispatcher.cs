using System.Text.Json;
using IncidentExchange.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentExchange.ServiceDefaults.Messaging;

/// <summary>
/// Publishes committed outbox messages to the bus and marks them sent once the broker has confirmed them. Handed the
/// messages of each commit right after it (<see cref="OutboxSignal"/>), it publishes them as they are; their marks
/// gather for <see cref="MarkAfter"/> and are written by key in one statement. Every second it also sweeps the
/// database for unsent messages older than <see cref="Orphaned"/>, oldest first: those this process will not publish
/// (a crash, another replica's, a failed publish, the broker away). The sweep claims rows with SKIP LOCKED, so that
/// replicas' sweeps share them. A message may still go twice (its commit's publish slower than <see cref="Orphaned"/>,
/// or its mark lost); consumers drop a message they have processed by its id.
/// </summary>
public sealed class OutboxDispatcher<TDb>(
    IServiceScopeFactory scopes, OutboxSignal signal, IBus bus, PublishHealth publishHealth, TimeProvider time, ILogger<OutboxDispatcher<TDb>> logger)
    : BackgroundService where TDb : DbContext, IMessagingDbContext
{
    private const int BatchSize = 100;
    private static readonly TimeSpan Sweep = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A message unsent this long after it was written is the sweep's. Its commit's own publish comes within
    /// milliseconds, unless it failed: then the sweep is its retry.
    /// </summary>
    public static readonly TimeSpan Orphaned = TimeSpan.FromSeconds(5);

    /// <summary>A publish not confirmed by then is given up (and tried again): it may be hanging on a dead channel.</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Unsent messages this build cannot publish (a type it does not know: written by a newer replica during an
    /// upgrade, or by hand). The sweep passes over them, so that they do not hold back the messages behind them; they
    /// stay unsent in the table, for a build that knows them or for an operator.
    /// </summary>
    private readonly HashSet<Guid> _setAside = [];

    /// <summary>
    /// How long the marks of published messages gather before one statement writes them all (instead of one statement
    /// per commit's publish): far inside <see cref="Orphaned"/>, so that the sweep does not take a message its commit
    /// published. A crash in between leaves them to the sweep, which publishes them again; consumers drop the copies.
    /// </summary>
    public static readonly TimeSpan MarkAfter = TimeSpan.FromMilliseconds(250);

    /// <summary>Published, confirmed, not yet marked sent; since <see cref="_firstUnmarked"/>.</summary>
    private readonly List<Guid> _unmarked = [];
    private long _firstUnmarked;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastSweep = long.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                for (var batch = signal.TakeCommitted(BatchSize); batch.Count > 0; batch = signal.TakeCommitted(BatchSize))
                    await PublishCommittedAsync(batch, stoppingToken);
                if (_unmarked.Count >= BatchSize || (_unmarked.Count > 0 && time.GetElapsedTime(_firstUnmarked) >= MarkAfter))
                    await MarkSentAsync(stoppingToken);
                // The sweep comes at least every second even under steady load, when no wait for a wake-up runs out.
                if (lastSweep == long.MinValue || time.GetElapsedTime(lastSweep) >= Sweep)
                {
                    lastSweep = time.GetTimestamp();
                    while (await SweepAsync(stoppingToken) == BatchSize) { }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The messages stay in the database, unsent: the sweep publishes them once they are Orphaned. Those
                // waiting here would most likely fail the same way; they are the sweep's too.
                signal.Forget();
                logger.LogWarning(e, "Outbox dispatch failed; will retry");
            }
            try
            {
                // Until the marks are due, when there are any; else until the next sweep, unless a commit wakes it.
                var marksDue = MarkAfter - time.GetElapsedTime(_firstUnmarked);
                await signal.WaitAsync(_unmarked.Count == 0 ? Sweep : marksDue > TimeSpan.Zero ? marksDue : TimeSpan.Zero, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
        // Stopping: what was published is marked, so that a restart does not publish it again.
        var unmarked = _unmarked.Count;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await MarkSentAsync(timeout.Token);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not mark {Count} published outbox messages sent while stopping; the sweep will publish them again", unmarked);
        }
    }

    /// <summary>Marks what was published sent: one statement, by key. On failure they are the sweep's.</summary>
    private async Task MarkSentAsync(CancellationToken cancellationToken)
    {
        if (_unmarked.Count == 0)
            return;
        var ids = _unmarked.ToList();
        _unmarked.Clear();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var sentAt = time.GetUtcNow();
        // By key only: with `sent_at IS NULL` added, PostgreSQL's generic plan walks the unsent index (which it thinks
        // small) and filters by id, which is the very search this avoids. A message the sweep sent meanwhile is re-marked.
        await db.OutboxMessages.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(m => m.SetProperty(x => x.SentAt, sentAt), cancellationToken);
        logger.LogDebug("Marked {Count} outbox messages sent", ids.Count);
    }

    /// <summary>Publishes messages just committed; their marks gather (<see cref="MarkAfter"/>).</summary>
    private async Task PublishCommittedAsync(List<OutboxMessage> batch, CancellationToken cancellationToken)
    {
        await PublishAsync(batch, cancellationToken);
        if (_unmarked.Count == 0)
            _firstUnmarked = time.GetTimestamp();
        _unmarked.AddRange(batch.Select(m => m.Id));
        logger.LogDebug("Published {Count} outbox messages", batch.Count);
    }

    /// <summary>Publishes the oldest unsent messages older than <see cref="Orphaned"/>; their number.</summary>
    private async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        // Written by this clock (MessagingDbContextExtensions.Publish), so compared with it.
        var before = DateTimeOffset.UtcNow - Orphaned;
        // A retried attempt may publish a message again; consumers drop it by its id.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var setAside = _setAside.ToArray();
            var batch = await db.OutboxMessages.FromSql($"""
                SELECT * FROM outbox_messages WHERE sent_at IS NULL AND created_at < {before} AND NOT (id = ANY({setAside}))
                ORDER BY created_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                """).ToListAsync(cancellationToken);
            if (batch.Count == 0)
                return 0;

            var publishable = batch.Where(m => ContractTypes.Find(m.MessageType) is not null).ToList();
            foreach (var message in batch.Except(publishable))
            {
                _setAside.Add(message.Id);
                logger.LogError("Outbox message {MessageId} has type {MessageType}, which this build does not know; left unsent",
                    message.Id, message.MessageType);
            }
            await PublishAsync(publishable, cancellationToken);
            var sentAt = time.GetUtcNow();
            foreach (var message in publishable)
                message.SentAt = sentAt;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Published {Count} outbox messages unsent after {Seconds} s", publishable.Count, Orphaned.TotalSeconds);
            return batch.Count;
        });
    }

    /// <summary>Publishes all of the batch at once: the broker confirms them together, instead of one round trip after another.</summary>
    private async Task PublishAsync(List<OutboxMessage> batch, CancellationToken cancellationToken)
    {
        var messages = batch.Select(message =>
        {
            var type = ContractTypes.Find(message.MessageType)
                ?? throw new InvalidOperationException($"Outbox message {message.Id} has unknown type {message.MessageType}.");
            return (message.Id, Type: type, Body: JsonSerializer.Deserialize(message.Body, type, MassTransit.Serialization.SystemTextJsonMessageSerializer.Options)!);
        }).ToList();
        try
        {
            await Task.WhenAll(messages.Select(m => bus.Publish(m.Body, m.Type, context => context.MessageId = m.Id, cancellationToken)
                .WaitAsync(PublishTimeout, cancellationToken)));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            publishHealth.Failed(time.GetUtcNow());
            throw;
        }
        publishHealth.Succeeded();
    }
}
