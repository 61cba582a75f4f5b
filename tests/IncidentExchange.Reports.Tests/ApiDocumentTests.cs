using IncidentExchange.Testing;

namespace IncidentExchange.Reports.Tests;

public sealed class ApiDocumentTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    [Fact]
    public Task Served_OpenAPI_document_matches_the_one_in_protocols() => OpenApiAssert.MatchesCommittedAsync(factory.CreateClient(), "reports");
}
