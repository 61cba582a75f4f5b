using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Testing;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.ServiceDefaults.Tests.Messaging;

/// <summary>
/// A consumer's unit of work commits with the message's inbox record, and the inbox is asked only when the work fails:
/// a message processed before is then dropped with nothing of its second run stored, and any other failure stands.
/// </summary>
public sealed class InboxTests : IAsyncLifetime
{
    private const string Consumer = "NoteConsumer";
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await MessagingDb.CreateDatabaseAsync("inbox");

    public async Task DisposeAsync() => await database.DisposeAsync();

    private MessagingDb Open() => MessagingDb.Open(database);

    /// <summary>The shape of every consumer: its changes, an event, and the inbox record, saved together.</summary>
    private static Task<bool> ConsumeAsync(MessagingDb db, Guid messageId, string text) =>
        db.OnceAsync(messageId, Consumer, async () =>
        {
            db.Notes.Add(new Note { Id = Guid.NewGuid(), Text = text });
            db.Publish(new Noted(text));
            db.MarkProcessed(messageId, Consumer);
            await db.SaveChangesAsync();
        }, CancellationToken.None);

    private async Task<(List<string> Notes, int Outbox, int Inbox)> StoredAsync()
    {
        await using var db = Open();
        return (await db.Notes.Select(n => n.Text).OrderBy(t => t).ToListAsync(), await db.OutboxMessages.CountAsync(), await db.InboxMessages.CountAsync());
    }

    [Fact]
    public async Task A_message_processed_before_is_dropped_and_nothing_of_its_second_run_is_stored()
    {
        var messageId = Guid.NewGuid();
        await using (var db = Open())
            Assert.True(await ConsumeAsync(db, messageId, "first run"));
        await using (var db = Open())
            Assert.False(await ConsumeAsync(db, messageId, "second run"));

        var (notes, outbox, inbox) = await StoredAsync();
        Assert.Equal(["first run"], notes);
        Assert.Equal((1, 1), (outbox, inbox));
    }

    [Fact]
    public async Task The_same_message_consumed_twice_at_once_is_processed_once()
    {
        var messageId = Guid.NewGuid();
        await using var one = Open();
        await using var other = Open();

        var results = await Task.WhenAll(ConsumeAsync(one, messageId, "one"), ConsumeAsync(other, messageId, "other"));

        Assert.Equal(1, results.Count(first => first));
        var (notes, outbox, inbox) = await StoredAsync();
        Assert.Single(notes);
        Assert.Equal((1, 1), (outbox, inbox));
    }

    [Fact]
    public async Task A_failure_of_a_new_message_is_thrown_and_leaves_nothing()
    {
        var messageId = Guid.NewGuid();
        await using var db = Open();
        var sameId = Guid.NewGuid();

        // Two notes with one key: the save fails on the notes' key, not the inbox's, and the message is new.
        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => db.OnceAsync(messageId, Consumer, async () =>
        {
            await db.Database.ExecuteSqlAsync($"INSERT INTO notes (id, text) VALUES ({sameId}, 'stored before')");
            db.Notes.Add(new Note { Id = sameId, Text = "clash" });
            db.Publish(new Noted("clash"));
            db.MarkProcessed(messageId, Consumer);
            await db.SaveChangesAsync();
        }, CancellationToken.None));

        Assert.Contains("pk_notes", failure.InnerException?.Message);
        var (notes, outbox, inbox) = await StoredAsync();
        Assert.Equal(["stored before"], notes);
        Assert.Equal((0, 0), (outbox, inbox));
        // And the message, being new, is processed when it comes again.
        Assert.True(await ConsumeAsync(db, messageId, "again"));
    }
}
