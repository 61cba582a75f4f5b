using IncidentExchange.Alerts.Escalation;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;

namespace IncidentExchange.Alerts.Tests.Escalation;

/// <summary>
/// One run of the Alerts service on a database and clock that outlive it, with e-mail to an <see cref="SmtpSink"/>:
/// dispose one and start another to restart the service mid-clock.
/// </summary>
public sealed class AlertsHost(TestDatabase database, ManualClock clock, SmtpSink sink, string smtpSecurity = "None") : ServiceFactory<Program>(database)
{
    public const string RelayUser = "alerts-relay";
    public const string RelayPassword = "relay-secret";

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Notifications:SmtpHost", "127.0.0.1"),
        new("Notifications:SmtpPort", sink.Port.ToString()),
        // The sink speaks no TLS; the default (StartTls) refuses such a relay, which one test shows.
        new("Notifications:SmtpSecurity", smtpSecurity),
        new("Notifications:SmtpUsername", RelayUser),
        new("Notifications:SmtpPassword", RelayPassword),
        new("Notifications:From", "alerts@incidentexchange.test"),
        new("Notifications:Recipients:US:ncp-duty", "duty@us.test"),
        new("Notifications:Recipients:US:ncp-officer", "officer-1@us.test, officer-2@us.test"),
        new("Notifications:Recipients:US:admin", "admin@us.test"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
    }

    public static async Task<AlertsHost> StartAsync(TestDatabase database, ManualClock clock, SmtpSink sink, string smtpSecurity = "None")
    {
        var host = new AlertsHost(database, clock, sink, smtpSecurity);
        await host.InitializeAsync();
        return host;
    }

    public Task StopAsync() => ((IAsyncLifetime)this).DisposeAsync();

    /// <summary>Moves the clock and runs an escalation sweep now, instead of waiting for the next one.</summary>
    public void Advance(TimeSpan by)
    {
        clock.Advance(by);
        Services.GetRequiredService<EscalationSignal>().Wake();
    }

    /// <summary>A US lab report assessed at a level: its alert goes to the US contact point.</summary>
    public async Task<Guid> AssessAsync(int level)
    {
        var reportId = Guid.NewGuid();
        await Services.GetRequiredService<ITestHarness>().Bus.Publish(new SeverityAssessed(reportId, 1, "US", level, "Critical", "危急", "1",
            "weights-leak", "Weights offered for sale", false, DateTimeOffset.UtcNow));
        await Eventually.WaitUntilAsync(async () => await Database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE report_id = '{reportId}'") == 1,
            "the alert was raised");
        return await Database.ScalarAsync<Guid>($"SELECT id FROM alerts WHERE report_id = '{reportId}'");
    }
}
