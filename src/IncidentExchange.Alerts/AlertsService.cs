using IncidentExchange.Alerts.Data;
using IncidentExchange.Alerts.Escalation;
using IncidentExchange.Alerts.Stamps;
using IncidentExchange.Alerts.Translations;
using IncidentExchange.Alerts.Storm;
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
        builder.Services.AddSingleton(_ => StampRules.Load());
        builder.Services.AddScoped<AlertRaiser>();
        builder.Services.AddScoped<AlertStamps>();
        builder.Services.AddSingleton<EscalationSignal>();
        builder.Services.AddHostedService<EscalationWorker>();
        builder.Services.AddSingleton<DigestSignal>();
        builder.Services.AddHostedService<DigestWorker>();
        var notifications = builder.Configuration.GetSection("Notifications").Get<NotificationOptions>() ?? new NotificationOptions();
        if (!string.IsNullOrWhiteSpace(notifications.SmtpHost))
        {
            builder.Services.AddSingleton(notifications);
            builder.Services.AddSingleton<INotificationChannel, SmtpChannel>();
        }
        builder.AddMessaging<AlertsDb>("alerts", bus =>
        {
            bus.AddConsumer<SeverityAssessedConsumer>();
            bus.AddConsumer<ReportReleasedConsumer>();
            bus.AddConsumer<ReportNullifiedConsumer>();
            bus.AddConsumer<ThreadMessagePostedConsumer>();
            bus.AddConsumer<CommunicationCheckSentConsumer>();
            bus.AddConsumer<ReportTranslatedConsumer>();
        });
        return builder;
    }

    public static WebApplication MapAlertsApi(this WebApplication app)
    {
        app.MapGroup("/api/v1/alerts").MapListAlerts().MapAlertStatistics().MapDigestSettings().MapStampEndpoints();
        app.MapHub<AlertsHub>(AlertsHub.Path);
        return app;
    }
}
