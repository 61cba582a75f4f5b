using System.Text.Json;
using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Testing;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.ServiceDefaults.Tests.Messaging;

/// <summary>
/// The dispatcher publishes what the interceptor hands it, without reading it back: it must be handed exactly what was
/// committed, never what a transaction wrote and then rolled back.
/// </summary>
public sealed class OutboxCommitInterceptorTests : IAsyncLifetime
{
    private readonly OutboxSignal signal = new();
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await MessagingDb.CreateDatabaseAsync("outbox-interceptor");

    public async Task DisposeAsync() => await database.DisposeAsync();

    private MessagingDb Open() => MessagingDb.Open(database, signal);

    private List<string> Handed() =>
        signal.TakeCommitted(100).Select(m => JsonSerializer.Deserialize<Noted>(m.Body, JsonSerializerOptions.Web)!.Text).ToList();

    [Fact]
    public async Task What_a_transaction_saved_and_did_not_commit_is_never_handed_over_when_a_later_one_commits()
    {
        await using var db = Open();
        // One connection throughout, as a pooled context's next unit of work often gets it: Npgsql hands out the same
        // transaction object for each transaction on it.
        await db.Database.OpenConnectionAsync();

        // Saved, then the unit of work fails and its transaction is disposed without a commit (as OnceAsync's does).
        await using (var failed = await db.Database.BeginTransactionAsync())
        {
            db.Publish(new Noted("saved, not committed"));
            await db.SaveChangesAsync();
        }
        db.ChangeTracker.Clear();
        // Saved, then rolled back outright.
        await using (var rolledBack = await db.Database.BeginTransactionAsync())
        {
            db.Publish(new Noted("rolled back"));
            await db.SaveChangesAsync();
            await rolledBack.RollbackAsync();
        }
        db.ChangeTracker.Clear();
        Assert.Empty(Handed());

        await using (var committed = await db.Database.BeginTransactionAsync())
        {
            db.Publish(new Noted("committed"));
            await db.SaveChangesAsync();
            await committed.CommitAsync();
        }
        // Without a transaction of the caller's: handed over once SaveChanges has committed its own.
        db.Publish(new Noted("saved alone"));
        await db.SaveChangesAsync();

        Assert.Equal(["committed", "saved alone"], Handed());
        Assert.Equal(2, await db.OutboxMessages.CountAsync());
    }
}
