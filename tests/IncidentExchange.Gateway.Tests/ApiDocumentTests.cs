using IncidentExchange.Gateway.Tests.Link;
using IncidentExchange.Testing;

namespace IncidentExchange.Gateway.Tests;

public sealed class ApiDocumentTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    [Fact]
    public Task Served_OpenAPI_document_matches_the_one_in_protocols() => OpenApiAssert.MatchesCommittedAsync(nodes.Us.CreateClient(), "gateway");
}
