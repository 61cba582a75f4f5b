using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IncidentExchange.ServiceDefaults.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// The service's own PostgreSQL database (connection string <c>ConnectionStrings:Database</c>), checked for readiness,
    /// with the outbox wake-up wired in for contexts that publish.
    /// </summary>
    /// <param name="connection">What the service sets on its connection string beyond these defaults.</param>
    public static WebApplicationBuilder AddServiceDatabase<TDb>(this WebApplicationBuilder builder, Action<NpgsqlConnectionStringBuilder>? connection = null)
        where TDb : DbContext
    {
        var connectionString = new NpgsqlConnectionStringBuilder(builder.Configuration.GetConnectionString("Database")
            ?? throw new InvalidOperationException("ConnectionStrings:Database is not set."));
        // Npgsql's default of 100 per service would let six services under a backlog exhaust the server's connections;
        // each service's work is bounded by its consumers' concurrency (MessagingExtensions) and its requests.
        // A connection string that sets its own maximum keeps it.
        if (connectionString.MaxPoolSize == new NpgsqlConnectionStringBuilder().MaxPoolSize)
            connectionString.MaxPoolSize = 40;
        // Every statement of a service repeats (EF Core's, the outbox's, the inbox's): prepared once per pooled connection,
        // PostgreSQL stops parsing and planning it for every message.
        if (connectionString.MaxAutoPrepare == 0)
        {
            connectionString.MaxAutoPrepare = 64;
            connectionString.AutoPrepareMinUsages = 2;
        }
        // A connection handed back to the pool is not reset (seven statements: CLOSE ALL, RESET ALL, UNLISTEN, ...):
        // EF Core opens and returns one for each query outside a transaction, and the resets were three statements in
        // four that PostgreSQL ran. Nothing here leaves session state behind: locks are per transaction
        // (pg_advisory_xact_lock), and the migrations' session lock is released by the code that takes it.
        connectionString.NoResetOnClose = true;
        connection?.Invoke(connectionString);
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxCommitInterceptor>();
        // Pooled: a new context resolves a scope of EF Core's own services (change tracker, state manager, ...), which was
        // an eighth of the Reports service's CPU at 500 reports/s. The contexts keep no state of their own between uses.
        builder.Services.AddDbContextPool<TDb>((sp, options) => options
            // After a database restart, pooled connections are dead and fail once each: retry rather than fail the
            // request. A few seconds at most: a database that stays away is answered 503 with Retry-After (Problems).
            // Work in an explicit transaction must therefore run inside Database.CreateExecutionStrategy().
            .UseNpgsql(connectionString.ConnectionString, npgsql => npgsql.EnableRetryOnFailure(maxRetryCount: 5, maxRetryDelay: TimeSpan.FromSeconds(1), errorCodesToAdd: null))
            .AddInterceptors(sp.GetRequiredService<OutboxCommitInterceptor>())
            // A failed save (or its command) is not an error of itself: a redelivered message fails on its inbox record
            // and is dropped (MessagingDbContextExtensions.OnceAsync), a raced Idempotency-Key on its key. Whoever cannot
            // handle the failure throws it on, and it is logged there (a consumer's fault, a request's 500, a worker's
            // warning).
            .ConfigureWarnings(warnings => warnings.Log((CoreEventId.SaveChangesFailed, LogLevel.Debug), (RelationalEventId.CommandError, LogLevel.Debug))));
        builder.Services.AddHealthChecks().AddDbContextCheck<TDb>("database", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>Applies the service's SQL migrations before it serves or consumes anything.</summary>
    public static async Task MigrateDatabaseAsync<TDb>(this WebApplication app) where TDb : DbContext
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        await SqlMigrations.ApplyAsync(db, typeof(TDb).Assembly, app.Lifetime.ApplicationStopping);
    }
}
