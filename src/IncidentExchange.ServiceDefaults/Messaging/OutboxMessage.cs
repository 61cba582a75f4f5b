using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.ServiceDefaults.Messaging;

/// <summary>A message written in the same transaction as the change it announces, published after commit.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; }
    public required string MessageType { get; init; }
    public required string Body { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>A message this service's consumer has already processed; its id is never processed twice.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; init; }
    public required string Consumer { get; init; }
    public DateTimeOffset ProcessedAt { get; init; }
}

/// <summary>A service database that publishes through the outbox and consumes through the inbox.</summary>
public interface IMessagingDbContext
{
    DbSet<OutboxMessage> OutboxMessages { get; }
    DbSet<InboxMessage> InboxMessages { get; }
}

public static class MessagingDbContextExtensions
{
    /// <summary>Maps the outbox and inbox tables; call from <c>OnModelCreating</c>.</summary>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.Property(m => m.Id).ValueGeneratedNever();
            outbox.Property(m => m.MessageType).HasMaxLength(300);
            outbox.Property(m => m.Body).HasColumnType("jsonb");
            outbox.HasIndex(m => m.CreatedAt).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
        });
        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.HasKey(m => new { m.MessageId, m.Consumer });
            inbox.Property(m => m.Consumer).HasMaxLength(200);
        });
        return modelBuilder;
    }

    /// <summary>Queues a message to be published when the current unit of work commits.</summary>
    public static void Publish<T>(this IMessagingDbContext db, T message) where T : class =>
        db.OutboxMessages.Add(new OutboxMessage
        {
            Id = NewId.NextGuid(),
            MessageType = typeof(T).FullName!,
            Body = JsonSerializer.Serialize(message, MassTransit.Serialization.SystemTextJsonMessageSerializer.Options),
            CreatedAt = DateTimeOffset.UtcNow,
        });

    /// <summary>
    /// Does a consumer's work once per message id: runs <paramref name="work"/> and commits its changes together with the
    /// message's inbox record (and any outbox messages). False when this consumer had already processed the message (a
    /// redelivery, or a duplicate that committed first): nothing of this run is stored, and what the work left in
    /// variables of its own must not be acted on.
    /// </summary>
    public static Task<bool> ConsumeOnceAsync<TDb>(this TDb db, ConsumeContext context, string consumer, Func<CancellationToken, Task> work)
        where TDb : DbContext, IMessagingDbContext
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException($"{consumer} got a message without an id.");
        return db.OnceAsync(messageId, consumer, async () =>
        {
            await work(context.CancellationToken);
            db.MarkProcessed(messageId, consumer);
            await db.SaveChangesAsync(context.CancellationToken);
        }, context.CancellationToken);
    }

    /// <summary>
    /// Runs a consumer's unit of work, which records the message in the inbox (<see cref="MarkProcessed"/>) in the
    /// transaction it commits. The inbox is not asked first: a message processed before fails that commit on the inbox's
    /// key (or earlier, on a key of what it would store twice), and only then is the inbox asked. False for such a
    /// duplicate, of which nothing was stored; any other failure is the work's, and is thrown. A unit of work may
    /// therefore run again for a message already processed, and must act outside its transaction only after it commits.
    /// </summary>
    public static async Task<bool> OnceAsync<TDb>(this TDb db, Guid messageId, string consumer, Func<Task> unitOfWork, CancellationToken cancellationToken)
        where TDb : DbContext, IMessagingDbContext
    {
        try
        {
            await unitOfWork();
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (await ProcessedBeforeAsync(db, messageId, consumer, cancellationToken))
                return false;
            throw;
        }
    }

    /// <summary>After a failed unit of work: whether the inbox holds the message. A database that cannot answer (the
    /// failure may be its own) answers nothing here, and the work's failure stands.</summary>
    private static async Task<bool> ProcessedBeforeAsync<TDb>(TDb db, Guid messageId, string consumer, CancellationToken cancellationToken)
        where TDb : DbContext, IMessagingDbContext
    {
        try
        {
            db.ChangeTracker.Clear();
            return await db.AlreadyProcessedAsync(messageId, consumer, cancellationToken);
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>True when this consumer has already processed the message (it is a redelivery or a duplicate).</summary>
    public static Task<bool> AlreadyProcessedAsync(this IMessagingDbContext db, Guid messageId, string consumer, CancellationToken cancellationToken) =>
        db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, cancellationToken);

    /// <summary>Records the message as processed, in the same unit of work as the consumer's own changes.</summary>
    public static void MarkProcessed(this IMessagingDbContext db, Guid messageId, string consumer) =>
        db.InboxMessages.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = DateTimeOffset.UtcNow });
}
