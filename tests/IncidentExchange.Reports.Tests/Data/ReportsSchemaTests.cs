using IncidentExchange.Reports.Data;
using IncidentExchange.Testing;

namespace IncidentExchange.Reports.Tests.Data;

public sealed class ReportsSchemaTests
{
    [Fact]
    public Task Migrations_create_the_schema_the_model_expects() =>
        SchemaAssert.MigrationsMatchModelAsync<ReportsDb>(options => new ReportsDb(options));
}
