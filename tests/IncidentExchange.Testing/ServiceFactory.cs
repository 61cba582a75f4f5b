using System.Net.Http.Headers;
using IncidentExchange.ServiceDefaults.Authentication;
using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Xunit;

namespace IncidentExchange.Testing;

/// <summary>
/// One service, in process, on a real PostgreSQL database of its own. The bus is MassTransit's in-memory test harness
/// (consumers' logic and what is published; the broker's own behaviour is left to the end-to-end tests), and tokens are
/// signed by <see cref="TestTokens.Key"/>.
/// </summary>
public class ServiceFactory<TProgram> : WebApplicationFactory<TProgram>, IAsyncLifetime where TProgram : class
{
    private TestDatabase? _database;
    private readonly TestDatabase? _shared;

    public ServiceFactory()
    {
    }

    /// <summary>A service on a database that outlives it: start another on the same database to test a restart.</summary>
    protected ServiceFactory(TestDatabase shared) => _shared = shared;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture has not been initialised.");

    /// <summary>False for the identity service, which trusts its own keys.</summary>
    protected virtual bool TrustTestTokens => true;

    protected virtual IEnumerable<KeyValuePair<string, string>> Settings => [];

    public async Task InitializeAsync()
    {
        _database = _shared ?? await TestDatabase.CreateAsync(typeof(TProgram).Assembly.GetName().Name!.Split('.').Last());
        _ = Server; // start now, so that migrations have run before the first test looks at the database
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null && _shared is null)
            await _database.DisposeAsync();
        await DisposeAlsoAsync();
    }

    /// <summary>For a fixture's own resources, released after the service and its database.</summary>
    protected virtual ValueTask DisposeAlsoAsync() => ValueTask.CompletedTask;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production"); // problems as users see them, no developer exception page
        builder.UseSetting("ConnectionStrings:Database", Database.ConnectionString);
        builder.UseSetting("Auth:Issuer", TestTokens.Issuer);
        builder.UseSetting("Auth:JwksUri", "http://jwks.invalid/");
        // Identity's key-protection certificate, one per database, so that a restart on the same database reads its keys.
        builder.UseSetting("DataProtection:CertificateFile", Path.Combine(Path.GetTempPath(), "incidentexchange-tests", $"{Database.Name}.pfx"));
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            if (TrustTestTokens)
                services.PostConfigure<JwtBearerOptions>(TokenAuthentication.SchemeName, jwt =>
                    jwt.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(TestTokens.Configuration()));
            services.AddMassTransitTestHarness();
        });
    }

    /// <summary>A client that sends the given bearer token (or none).</summary>
    public HttpClient ClientWithToken(string? token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
