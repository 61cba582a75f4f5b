using IncidentExchange.Testing;

namespace IncidentExchange.Reports.Tests.Authorization;

public sealed class BearerTokenRefusalTests(ReportsFactory factory) : BearerTokenTests<Program>(factory), IClassFixture<ReportsFactory>
{
    protected override string ProtectedPath => "/api/v1/reports";
}
