using IncidentExchange.Reports.Data;
using IncidentExchange.Reports.Reading;
using IncidentExchange.Reports.Submission;
using IncidentExchange.Reports.Translations;
using IncidentExchange.ServiceDefaults.Messaging;

namespace IncidentExchange.Reports;

public static class ReportsService
{
    public static WebApplicationBuilder AddReportsService(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddMessaging<ReportsDb>("reports", bus => bus.AddConsumer<ReportTranslatedConsumer>());
        return builder;
    }

    public static WebApplication MapReportsApi(this WebApplication app)
    {
        app.MapGroup("/api/v1/reports")
            .MapSubmitReport()
            .MapGetReport();
        return app;
    }
}
