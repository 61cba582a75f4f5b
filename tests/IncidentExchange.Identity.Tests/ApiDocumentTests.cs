using IncidentExchange.Testing;

namespace IncidentExchange.Identity.Tests;

public sealed class ApiDocumentTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    [Fact]
    public Task Served_OpenAPI_document_matches_the_one_in_protocols() => OpenApiAssert.MatchesCommittedAsync(factory.CreateClient(), "identity");
}
