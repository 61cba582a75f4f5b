using IncidentExchange.Drills.Data;
using IncidentExchange.Drills.Measuring;
using IncidentExchange.Drills.Running;
using IncidentExchange.Drills.Scenarios;
using IncidentExchange.ServiceDefaults.Messaging;

namespace IncidentExchange.Drills;

public static class DrillsService
{
    public static WebApplicationBuilder AddDrillsService(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => ScenarioLibrary.Load());
        var options = (builder.Configuration.GetSection("Drills").Get<InjectorOptions>() ?? new InjectorOptions()).WithInjectorsFile();
        builder.Services.AddSingleton(options);
        builder.Services.AddHttpClient(InjectFiler.ReportsClient, client =>
        {
            if (options.ReportsUrl.Length > 0)
                client.BaseAddress = new Uri(options.ReportsUrl.TrimEnd('/') + "/");
            client.Timeout = TimeSpan.FromSeconds(10);
        });
        builder.Services.AddHttpClient(nameof(ClientCredentialsTokens), client => client.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<IInjectorTokens, ClientCredentialsTokens>();
        builder.Services.AddScoped<InjectFiler>();
        builder.Services.AddSingleton<DrillSignal>();
        builder.Services.AddHostedService<DrillRunner>();
        builder.AddMessaging<DrillsDb>("drills", bus =>
        {
            bus.AddConsumer<ExerciseAlertStampedConsumer>();
            bus.AddConsumer<ReportReleasedConsumer>();
        });
        return builder;
    }

    public static WebApplication MapDrillsApi(this WebApplication app)
    {
        app.MapGroup("/api/v1/drills").MapDrillEndpoints().MapAfterActionEndpoints();
        return app;
    }
}
