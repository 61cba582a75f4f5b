using IncidentExchange.Reports.Data;
using IncidentExchange.Reports.Lifecycle;
using IncidentExchange.Reports.Pipeline;
using IncidentExchange.Reports.Questions;
using IncidentExchange.Reports.Reading;
using IncidentExchange.Reports.Regimes;
using IncidentExchange.Reports.Releases;
using IncidentExchange.Reports.Submission;
using IncidentExchange.Reports.Translations;
using IncidentExchange.Reports.Versions;
using IncidentExchange.ServiceDefaults.Messaging;

namespace IncidentExchange.Reports;

public static class ReportsService
{
    public static WebApplicationBuilder AddReportsService(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => LegalRegimes.Load());
        builder.AddMessaging<ReportsDb>("reports", bus =>
        {
            bus.AddConsumer<ReportTranslatedConsumer>();
            bus.AddConsumer<ReportTriagedConsumer>();
            bus.AddConsumer<SeverityAssessedConsumer>();
        });
        return builder;
    }

    public static WebApplication MapReportsApi(this WebApplication app)
    {
        app.MapGroup("/api/v1/reports")
            .MapSubmitReport()
            .MapListReports()
            .MapGetReport()
            .MapReportVersions()
            .MapReleaseReport()
            .MapReportLifecycle()
            .MapQuestionThreads()
            .MapReviewTranslation()
            .MapCrossPartyReads();
        return app;
    }
}
