using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Testing;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.ServiceDefaults.Tests.Messaging;

/// <summary>A service database in miniature: the outbox and the inbox, and notes standing for a consumer's own changes.</summary>
internal sealed class MessagingDb(DbContextOptions<MessagingDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();
    public DbSet<Note> Notes => Set<Note>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox().UseSnakeCaseNames();

    /// <summary>A new database with this schema.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string name)
    {
        var database = await TestDatabase.CreateAsync(name);
        await using var db = Open(database);
        await db.Database.EnsureCreatedAsync();
        return database;
    }

    /// <summary>A context on the database; with a signal, wired as the services wire it (DatabaseExtensions).</summary>
    public static MessagingDb Open(TestDatabase database, OutboxSignal? signal = null)
    {
        var options = new DbContextOptionsBuilder<MessagingDb>().UseNpgsql(database.ConnectionString);
        if (signal is not null)
            options.AddInterceptors(new OutboxCommitInterceptor(signal));
        return new MessagingDb(options.Options);
    }
}

internal sealed class Note
{
    public Guid Id { get; init; }
    public required string Text { get; init; }
}

/// <summary>An event a consumer publishes through the outbox.</summary>
internal sealed record Noted(string Text);
