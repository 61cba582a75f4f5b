using System.Text.Json;
using IncidentExchange.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentExchange.ServiceDefaults.Messaging;

/// <summary>
/// Publishes committed outbox messages to the bus, oldest first, and marks them sent once the broker has
/// confirmed them. Woken after each commit; sweeps every second in case a wake-up was missed or the broker was away.
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
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchBatchAsync(stoppingToken) == BatchSize) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The messages stay in the database; the next sweep tries again.
                logger.LogWarning(e, "Outbox dispatch failed; will retry");
            }
            await signal.WaitAsync(Sweep, stoppingToken);
        }
    }

    private async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        // A retried attempt may publish a message again; consumers drop it by its id.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var batch = await db.OutboxMessages
                .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY created_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                .ToListAsync(cancellationToken);
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
