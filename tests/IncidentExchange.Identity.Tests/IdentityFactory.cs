using IncidentExchange.Testing;

namespace IncidentExchange.Identity.Tests;

/// <summary>The identity service in demo mode, seeded from the repository's own ops/demo files.</summary>
public sealed class IdentityFactory : ServiceFactory<Program>
{
    public const string UsLabClient = "us-lab-demo";
    public const string UsLabSecret = "demo-us-lab-secret-4f9c2b7e8a1d6053";
    public const string UsOfficer = "us-officer";
    public const string UsOfficerPassword = "Demo-US-officer-2026!";

    protected override bool TrustTestTokens => false;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Demo:Enabled", "true"),
        new("Demo:SeedFile", Repository.PathOf("ops/demo/demo.json")),
        new("Demo:ClientsFile", Repository.PathOf("ops/demo/clients.json")),
    ];
}
