using IncidentExchange.Testing;

namespace IncidentExchange.Severity.Tests;

public sealed class BearerTokenRefusalTests(ServiceFactory<Program> factory) : BearerTokenTests<Program>(factory), IClassFixture<ServiceFactory<Program>>
{
    protected override string ProtectedPath => "/api/v1/severity/rule-sets";
}
