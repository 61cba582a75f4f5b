using IncidentExchange.Drills.Tests.Running;
using IncidentExchange.Testing;

namespace IncidentExchange.Drills.Tests;

public sealed class ApiDocumentTests(DrillsFactory factory) : IClassFixture<DrillsFactory>
{
    [Fact]
    public Task Served_OpenAPI_document_matches_the_one_in_protocols() => OpenApiAssert.MatchesCommittedAsync(factory.CreateClient(), "drills");
}
