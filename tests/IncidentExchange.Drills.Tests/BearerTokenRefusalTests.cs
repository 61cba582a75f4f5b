using IncidentExchange.Testing;

namespace IncidentExchange.Drills.Tests;

public sealed class BearerTokenRefusalTests(ServiceFactory<Program> factory) : BearerTokenTests<Program>(factory), IClassFixture<ServiceFactory<Program>>
{
    protected override string ProtectedPath => "/api/v1/drills";
}
