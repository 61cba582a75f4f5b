using System.Text.Json;
using IncidentExchange.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentExchange.ServiceDefaults.Messaging;

/// <summary>
/// Publishes committed outbox messages to the bus and marks them sent once the broker has confirmed them. Woken after
/// each commit with the ids it wrote, which it claims by key; at least every second it also sweeps for any unsent,
/// oldest first, in case this process missed them (a crash, another replica's, the broker away).
/// Rows are claimed with SKIP LOCKED so that replicas share the work without publishing a message twice.
/// </summary>
public sealed class OutboxDispatcher<TDb>(
    IServiceScopeFactory scopes, OutboxSignal signal, IBus bus, PublishHealth publishHealth, TimeProvider time, ILogger<OutboxDispatcher<TDb>> logger)
    : BackgroundService where TDb : DbContext, IMessagingDbContext
{
    private const int BatchSize = 100;
    private static readonly TimeSpan Sweep = TimeSpan.FromSeconds(1);

    /// <summary>A publish not confirmed by then is given up (and tried again): it may be hanging on a dead channel.</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastSweep = long.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The sweep comes at least every second even under steady load, when no wait for a wake-up runs out. It
                // publishes all that is unsent oldest first, those just committed too; between sweeps, those by key.
                if (lastSweep == long.MinValue || time.GetElapsedTime(lastSweep) >= Sweep)
                {
                    lastSweep = time.GetTimestamp();
                    signal.TakeCommitted(int.MaxValue);
                    while (await DispatchBatchAsync(null, stoppingToken) == BatchSize) { }
                }
                for (var ids = signal.TakeCommitted(BatchSize); ids.Count > 0; ids = signal.TakeCommitted(BatchSize))
                    await DispatchBatchAsync(ids, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The messages stay in the database; the sweep, next time round, tries them again oldest first.
                lastSweep = long.MinValue;
                logger.LogWarning(e, "Outbox dispatch failed; will retry");
            }
            await signal.WaitAsync(Sweep, stoppingToken);
        }
    }

    /// <summary>Publishes the unsent among <paramref name="ids"/>, or the oldest unsent when null.</summary>
    private async Task<int> DispatchBatchAsync(List<Guid>? ids, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        // A retried attempt may publish a message again; consumers drop it by its id.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // By key, the unsent are picked in C#: with `sent_at IS NULL` in the query, PostgreSQL's generic plan walks
            // the unsent index (which it thinks small) and filters by id, which is the very search this avoids.
            var batch = await (ids is null
                ? db.OutboxMessages.FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY created_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                : db.OutboxMessages.FromSql($"SELECT * FROM outbox_messages WHERE id = ANY({ids}) ORDER BY created_at FOR UPDATE SKIP LOCKED"))
                .ToListAsync(cancellationToken);
            batch.RemoveAll(m => m.SentAt is not null);
            if (batch.Count == 0)
                return 0;

            var messages = batch.Select(message =>
            {
                var type = ContractTypes.Find(message.MessageType)
                    ?? throw new InvalidOperationException($"Outbox message {message.Id} has unknown type {message.MessageType}.");
                return (message.Id, Type: type, Body: JsonSerializer.Deserialize(message.Body, type, MassTransit.Serialization.SystemTextJsonMessageSerializer.Options)!);
            }).ToList();
            try
            {
                // All of the batch at once: the broker confirms them together, instead of one round trip after another.
                await Task.WhenAll(messages.Select(m => bus.Publish(m.Body, m.Type, context => context.MessageId = m.Id, cancellationToken)
                    .WaitAsync(PublishTimeout, cancellationToken)));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The batch rolls back: its messages stay unsent, and the next sweep publishes them again.
                publishHealth.Failed(time.GetUtcNow());
                throw;
            }
            publishHealth.Succeeded();
            var sentAt = time.GetUtcNow();
            foreach (var message in batch)
                message.SentAt = sentAt;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogDebug("Published {Count} outbox messages", batch.Count);
            return batch.Count;
        });
    }
}
