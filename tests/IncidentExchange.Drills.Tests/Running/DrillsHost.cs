extern alias Reports;
using IncidentExchange.Drills.Running;
using IncidentExchange.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentExchange.Drills.Tests.Running;

/// <summary>
/// One run of the Drills service on a database and clock that outlive it, filing injects through a real Reports
/// service (in process, on its own database) with test tokens of the scenario's labs: dispose one and start another
/// to restart the Drills service mid-drill.
/// </summary>
public sealed class DrillsHost(TestDatabase database, ManualClock clock, ServiceFactory<Reports::Program> reports) : ServiceFactory<Program>(database)
{
    public static readonly Dictionary<string, (string Party, Guid Organisation)> Labs = new()
    {
        ["us-exercise-lab"] = ("US", Guid.Parse("0a1d5e00-0000-4000-8000-000000000005")),
        ["cn-exercise-lab"] = ("CN", Guid.Parse("0a1d5e00-0000-4000-8000-000000000006")),
    };

    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Drills:ReportsUrl", "http://reports.test/")];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
            services.Replace(ServiceDescriptor.Singleton<IInjectorTokens, LabTokens>());
            services.AddHttpClient(InjectFiler.ReportsClient).ConfigurePrimaryHttpMessageHandler(() => reports.Server.CreateHandler());
        });
    }

    /// <summary>A lab's reporter token, as the identity service would issue to the lab's machine client.</summary>
    private sealed class LabTokens : IInjectorTokens
    {
        public Task<string?> TokenAsync(string lab, CancellationToken cancellationToken) =>
            Task.FromResult(Labs.TryGetValue(lab, out var l) ? TestTokens.Issue(l.Party, l.Organisation, "reporter") : null);
    }

    public static async Task<DrillsHost> StartAsync(TestDatabase database, ManualClock clock, ServiceFactory<Reports::Program> reports)
    {
        // MassTransit keeps its log context in an AsyncLocal that the previous run's (disposed) logger factory may still hold.
        MassTransit.LogContext.Current = null;
        var host = new DrillsHost(database, clock, reports);
        await host.InitializeAsync();
        return host;
    }

    public Task StopAsync() => ((IAsyncLifetime)this).DisposeAsync();

    /// <summary>Moves the clock and lets the runner look at once.</summary>
    public void Advance(TimeSpan by)
    {
        clock.Advance(by);
        Services.GetRequiredService<DrillSignal>().Wake();
    }
}
