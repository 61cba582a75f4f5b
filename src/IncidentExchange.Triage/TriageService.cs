using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Triage.Classification;
using IncidentExchange.Triage.Data;

namespace IncidentExchange.Triage;

public static class TriageService
{
    public static WebApplicationBuilder AddTriageService(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Classifier>();
        builder.AddMessaging<TriageDb>("triage", bus => bus.AddConsumer<ReportSubmittedConsumer>());
        return builder;
    }
}
