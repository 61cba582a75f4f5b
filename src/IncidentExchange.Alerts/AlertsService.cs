using IncidentExchange.Alerts.Data;
using IncidentExchange.Alerts.Hub;
using IncidentExchange.Alerts.Listing;
using IncidentExchange.Alerts.Raising;
using IncidentExchange.ServiceDefaults;
using IncidentExchange.ServiceDefaults.Messaging;

namespace IncidentExchange.Alerts;

public static class AlertsService
{
    public static WebApplicationBuilder AddAlertsService(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSignalR().AddJsonProtocol(options => Json.Configure(options.PayloadSerializerOptions));
        builder.Services.AddScoped<AlertRaiser>();
        builder.AddMessaging<AlertsDb>("alerts", bus =>
        {
            bus.AddConsumer<SeverityAssessedConsumer>();
            bus.AddConsumer<ReportReleasedConsumer>();
            bus.AddConsumer<ReportNullifiedConsumer>();
        });
        return builder;
    }

    public static WebApplication MapAlertsApi(this WebApplication app)
    {
        app.MapGroup("/api/v1/alerts").MapListAlerts();
        app.MapHub<AlertsHub>(AlertsHub.Path);
        return app;
    }
}
