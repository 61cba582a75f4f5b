using IncidentExchange.Testing;

namespace IncidentExchange.Triage.Tests;

public sealed class ApiDocumentTests(TriageFactory factory) : IClassFixture<TriageFactory>
{
    [Fact]
    public Task Served_OpenAPI_document_matches_the_one_in_protocols() => OpenApiAssert.MatchesCommittedAsync(factory.CreateClient(), "triage");
}
