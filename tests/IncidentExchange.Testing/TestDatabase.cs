using Npgsql;

namespace IncidentExchange.Testing;

/// <summary>
/// A PostgreSQL database of one test fixture's own, on the real server that ops/infra.sh starts, dropped afterwards.
/// The server is found through <c>IX_TEST_POSTGRES</c> (a connection string with CREATEDB rights).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly string Admin = Environment.GetEnvironmentVariable("IX_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=incidentexchange;Password=incidentexchange;Database=postgres";

    private TestDatabase(string name) => Name = name;

    public string Name { get; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(Admin) { Database = Name }.ConnectionString;

    public static async Task<TestDatabase> CreateAsync(string purpose)
    {
        var name = $"ix_test_{purpose}_{Guid.NewGuid():N}".ToLowerInvariant();
        var database = new TestDatabase(name[..Math.Min(name.Length, 60)]);
        await ExecuteAdminAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // An autovacuum worker (a superuser process, which FORCE may not terminate) can be busy on a database that
        // tests just filled; it finishes within moments, so try again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 40)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    /// <summary>Runs a query on this database and returns the first column of the first row.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
