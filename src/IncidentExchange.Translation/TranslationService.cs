using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Translation.Data;
using IncidentExchange.Translation.Translating;

namespace IncidentExchange.Translation;

public static class TranslationService
{
    public static WebApplicationBuilder AddTranslationService(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => Glossary.Glossary.Load());
        builder.Services.AddSingleton<ReportTranslator>();
        builder.AddMessaging<TranslationDb>("translation", bus => bus.AddConsumer<ReportSubmittedConsumer>());
        return builder;
    }
}
