using IncidentExchange.Testing;
using IncidentExchange.Translation.Data;

namespace IncidentExchange.Translation.Tests.Data;

public sealed class TranslationSchemaTests
{
    [Fact]
    public Task Migrations_create_the_schema_the_model_expects() =>
        SchemaAssert.MigrationsMatchModelAsync<TranslationDb>(options => new TranslationDb(options));
}
