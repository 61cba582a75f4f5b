using IncidentExchange.Drills.Data;
using IncidentExchange.Testing;

namespace IncidentExchange.Drills.Tests.Data;

public sealed class DrillsSchemaTests
{
    [Fact]
    public Task Migrations_create_the_schema_the_model_expects() =>
        SchemaAssert.MigrationsMatchModelAsync<DrillsDb>(options => new DrillsDb(options));
}
