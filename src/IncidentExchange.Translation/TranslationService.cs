using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Translation.Data;
using IncidentExchange.Translation.Engines;
using IncidentExchange.Translation.Translating;

namespace IncidentExchange.Translation;

public static class TranslationService
{
    /// <summary>
    /// The consumer that renders each report, and — when <c>Translation:Engine:Url</c> names a LibreTranslate server —
    /// the engine, its circuit breaker and the worker that works off the queue. Without a URL the glossary is all there is.
    /// </summary>
    public static WebApplicationBuilder AddTranslationService(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => Glossary.Glossary.Load());
        builder.Services.AddSingleton<ReportTranslator>();
        builder.Services.AddSingleton<TranslationQueueSignal>();

        var engine = builder.Configuration.GetSection("Translation:Engine").Get<EngineOptions>() ?? new EngineOptions();
        if (!string.IsNullOrWhiteSpace(engine.Url))
        {
            builder.Services.AddSingleton(engine);
            builder.Services.AddHttpClient<ITranslationEngine, LibreTranslateEngine>(http =>
            {
                http.BaseAddress = new Uri(engine.Url.TrimEnd('/') + "/");
                http.Timeout = Timeout.InfiniteTimeSpan; // the engine's own timeout applies, per request
            });
            builder.Services.AddSingleton<EngineBreaker>();
            builder.Services.AddScoped<MachineTranslator>();
            builder.Services.AddHostedService<TranslationWorker>();
        }

        builder.AddMessaging<TranslationDb>("translation", bus =>
        {
            bus.AddConsumer<ReportSubmittedConsumer>();
            bus.AddConsumer<ThreadMessagePostedConsumer>();
        });
        return builder;
    }
}
