using IncidentExchange.Testing;

namespace IncidentExchange.Identity.Tests.Tokens;

/// <summary>The identity service trusts only its own keys: the good token comes from its token endpoint.</summary>
public sealed class BearerTokenRefusalTests(IdentityFactory factory) : BearerTokenTests<Program>(factory), IClassFixture<IdentityFactory>
{
    protected override string ProtectedPath => "/connect/clients";

    protected override Task<string> GoodTokenAsync() => factory.ClientTokenAsync("US", "admin");
}
