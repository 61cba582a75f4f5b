using IncidentExchange.Drills.Running;
using IncidentExchange.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentExchange.Drills.Tests.Running;

/// <summary>The Drills service alone, on a moved clock: communication checks, who may do what with a drill, and bad requests.</summary>
public sealed class DrillsFactory : ServiceFactory<Program>
{
    public ManualClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    public HttpClient As(string party, params string[] roles) => ClientWithToken(TestTokens.Issue(party, Guid.NewGuid(), roles));

    public void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        Services.GetRequiredService<DrillSignal>().Wake();
    }
}
