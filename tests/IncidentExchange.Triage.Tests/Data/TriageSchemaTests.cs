using IncidentExchange.Testing;
using IncidentExchange.Triage.Data;

namespace IncidentExchange.Triage.Tests.Data;

public sealed class TriageSchemaTests
{
    [Fact]
    public Task Migrations_create_the_schema_the_model_expects() =>
        SchemaAssert.MigrationsMatchModelAsync<TriageDb>(options => new TriageDb(options));
}
