using IncidentExchange.Testing;
using IncidentExchange.Alerts.Data;

namespace IncidentExchange.Alerts.Tests.Data;

public sealed class AlertsSchemaTests
{
    [Fact]
    public Task Migrations_create_the_schema_the_model_expects() =>
        SchemaAssert.MigrationsMatchModelAsync<AlertsDb>(options => new AlertsDb(options));
}
