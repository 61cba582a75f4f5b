using IncidentExchange.Testing;

namespace IncidentExchange.Alerts.Tests.Authorization;

public sealed class BearerTokenRefusalTests(ServiceFactory<Program> factory) : BearerTokenTests<Program>(factory), IClassFixture<ServiceFactory<Program>>
{
    protected override string ProtectedPath => "/api/v1/alerts";
}
