using IncidentExchange.Testing;

namespace IncidentExchange.Severity.Tests;

public sealed class ApiDocumentTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public Task Served_OpenAPI_document_matches_the_one_in_protocols() => OpenApiAssert.MatchesCommittedAsync(factory.CreateClient(), "severity");
}
