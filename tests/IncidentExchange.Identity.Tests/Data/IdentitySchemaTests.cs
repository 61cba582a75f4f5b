using IncidentExchange.Identity.Data;
using IncidentExchange.Testing;

namespace IncidentExchange.Identity.Tests.Data;

public sealed class IdentitySchemaTests
{
    [Fact]
    public Task Migrations_create_the_schema_the_model_expects() =>
        SchemaAssert.MigrationsMatchModelAsync<IdentityDb>(options => new IdentityDb(options));
}
