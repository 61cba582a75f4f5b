using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IncidentExchange.ServiceDefaults.Data;

/// <summary>
/// Versioned SQL scripts, embedded in the service assembly as <c>Data/Migrations/NNN_name.sql</c>, applied in order
/// at start-up under an advisory lock so that replicas starting together apply each exactly once.
/// (EF Core's design-time tooling is not served here: PACKAGES.md.)
/// </summary>
public static class SqlMigrations
{
    private const long LockKey = 0x1E_C0DE_0001;

    public static IReadOnlyList<(string Id, string Sql)> Read(Assembly assembly) =>
        assembly.GetManifestResourceNames()
            .Where(name => name.Contains(".Data.Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                var id = name[(name.IndexOf(".Data.Migrations.", StringComparison.Ordinal) + ".Data.Migrations.".Length)..^".sql".Length];
                return (id, reader.ReadToEnd());
            })
            .ToList();

    public static async Task ApplyAsync(DbContext db, Assembly assembly, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        try
        {
            await Execute(connection, null, $"SELECT pg_advisory_lock({LockKey})", cancellationToken);
            await Execute(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    id text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);

            var applied = new HashSet<string>();
            await using (var command = new NpgsqlCommand("SELECT id FROM schema_migrations", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken))
                    applied.Add(reader.GetString(0));

            foreach (var (id, sql) in Read(assembly).Where(m => !applied.Contains(m.Id)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, transaction, sql, cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (id) VALUES (@id)", connection, transaction);
                record.Parameters.AddWithValue("id", id);
                await record.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await Execute(connection, null, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
            await connection.CloseAsync();
        }
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
