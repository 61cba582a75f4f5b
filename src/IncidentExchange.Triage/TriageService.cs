using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Triage.Classification;
using IncidentExchange.Triage.Data;
using IncidentExchange.Triage.Grouping;
using IncidentExchange.Triage.Incidents;

namespace IncidentExchange.Triage;

public static class TriageService
{
    public static WebApplicationBuilder AddTriageService(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Classifier>();
        builder.Services.AddSingleton<TextFeatures>();
        builder.Services.AddScoped<Grouper>();
        builder.Services.AddSingleton<GroupingBatches>();
        builder.AddMessaging<TriageDb>("triage", bus => bus.AddConsumer<ReportSubmittedConsumer>());
        return builder;
    }

    public static WebApplication MapTriageApi(this WebApplication app)
    {
        app.MapGroup("/api/v1/incidents")
            .MapReadIncidents()
            .MapLinkDecisions();
        return app;
    }
}
