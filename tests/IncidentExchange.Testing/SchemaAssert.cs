using IncidentExchange.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace IncidentExchange.Testing;

/// <summary>
/// Proves that a service's hand-written SQL migrations produce the schema its EF Core model expects: one database is
/// migrated, another is created from the model, and their tables, columns, types, nullability and indexes must agree.
/// </summary>
public static class SchemaAssert
{
    public static async Task MigrationsMatchModelAsync<TDb>(Func<DbContextOptions<TDb>, TDb> create) where TDb : DbContext
    {
        await using var migrated = await TestDatabase.CreateAsync("migrated");
        await using var modelled = await TestDatabase.CreateAsync("modelled");

        await using (var db = create(new DbContextOptionsBuilder<TDb>().UseNpgsql(migrated.ConnectionString).Options))
            await SqlMigrations.ApplyAsync(db, typeof(TDb).Assembly, CancellationToken.None);
        await using (var db = create(new DbContextOptionsBuilder<TDb>().UseNpgsql(modelled.ConnectionString).Options))
            await db.Database.EnsureCreatedAsync();

        var expected = await DescribeAsync(modelled.ConnectionString);
        var actual = await DescribeAsync(migrated.ConnectionString);
        Assert.Equal(expected, actual);
    }

    private static async Task<List<string>> DescribeAsync(string connectionString)
    {
        var lines = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand("""
            SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' ' || is_nullable
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                lines.Add(reader.GetString(0));
        await using (var command = new NpgsqlCommand(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                lines.Add(reader.GetString(0));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
