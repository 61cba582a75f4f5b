using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.ServiceDefaults.Tests.Messaging;

public sealed class MessageRetentionTests
{
    private static OutboxMessage Outbox(string name, DateTimeOffset created, DateTimeOffset? sent) =>
        new() { Id = Guid.NewGuid(), MessageType = name, Body = "{}", CreatedAt = created, SentAt = sent };

    [Fact]
    public async Task Old_sent_messages_and_old_inbox_records_go_and_everything_else_stays()
    {
        await using var database = await MessagingDb.CreateDatabaseAsync("retention");
        await using var db = MessagingDb.Open(database);
        var now = DateTimeOffset.UtcNow;
        var old = now - MessageRetention<MessagingDb>.Window - TimeSpan.FromHours(1);
        db.OutboxMessages.AddRange(
            Outbox("old-sent", old, old),
            Outbox("old-unsent", old, null),  // never delivered: must survive any age
            Outbox("recent-sent", now, now));
        db.InboxMessages.AddRange(
            new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "old", ProcessedAt = old },
            new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "recent", ProcessedAt = now });
        await db.SaveChangesAsync();

        var pruned = await MessageRetention<MessagingDb>.PruneAsync(db, now - MessageRetention<MessagingDb>.Window, CancellationToken.None);

        Assert.Equal((1, 1), pruned);
        Assert.Equal(["old-unsent", "recent-sent"], await db.OutboxMessages.Select(m => m.MessageType).OrderBy(t => t).ToListAsync());
        Assert.Equal(["recent"], await db.InboxMessages.Select(m => m.Consumer).ToListAsync());
    }
}
