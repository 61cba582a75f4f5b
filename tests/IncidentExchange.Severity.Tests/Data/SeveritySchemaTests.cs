using IncidentExchange.Testing;
using IncidentExchange.Severity.Data;

namespace IncidentExchange.Severity.Tests.Data;

public sealed class SeveritySchemaTests
{
    [Fact]
    public Task Migrations_create_the_schema_the_model_expects() =>
        SchemaAssert.MigrationsMatchModelAsync<SeverityDb>(options => new SeverityDb(options));
}
