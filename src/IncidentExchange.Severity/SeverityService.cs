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
        builder.Services.AddSingleton(_ => RuleSet.Load());
        builder.AddMessaging<SeverityDb>("severity", bus => bus.AddConsumer<ReportTriagedConsumer>());
        return builder;
    }
}
