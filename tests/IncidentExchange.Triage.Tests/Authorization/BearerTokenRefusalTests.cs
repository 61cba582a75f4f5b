using IncidentExchange.Testing;

namespace IncidentExchange.Triage.Tests.Authorization;

public sealed class BearerTokenRefusalTests(TriageFactory factory) : BearerTokenTests<Program>(factory), IClassFixture<TriageFactory>
{
    protected override string ProtectedPath => "/api/v1/incidents";
}
