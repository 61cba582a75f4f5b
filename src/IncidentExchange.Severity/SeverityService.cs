using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Severity.Assessment;
using IncidentExchange.Severity.Data;
using IncidentExchange.Severity.Rules;

namespace IncidentExchange.Severity;

public static class SeverityService
{
    public static WebApplicationBuilder AddSeverityService(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RuleSetStore>();
        builder.AddMessaging<SeverityDb>("severity", bus => bus.AddConsumer<ReportTriagedConsumer>());
        return builder;
    }

    /// <summary>Records the protocol's rule set as agreed, the first time the service starts on its database.</summary>
    public static async Task RecordProtocolRuleSetAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RuleSetStore>()
            .RecordProtocolVersionAsync(scope.ServiceProvider.GetRequiredService<SeverityDb>(), CancellationToken.None);
    }
}
