using IncidentExchange.Gateway.Data;
using IncidentExchange.Gateway.Link;
using IncidentExchange.Gateway.Pairing;
using IncidentExchange.Gateway.Record;
using IncidentExchange.Gateway.Signing;
using IncidentExchange.ServiceDefaults.Messaging;

namespace IncidentExchange.Gateway;

public static class GatewayService
{
    public static WebApplicationBuilder AddGatewayService(this WebApplicationBuilder builder)
    {
        var options = (builder.Configuration.GetSection("Gateway").Get<GatewayOptions>() ?? new GatewayOptions()).Validated();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => NodeKey.LoadOrCreate(options.KeyFile));
        builder.Services.AddSingleton<LinkSignal>();
        builder.Services.AddSingleton<LinkTransport>();
        builder.Services.AddScoped<RecordBook>();
        builder.Services.AddScoped<Applier>();
        builder.Services.AddScoped<InboundHandler>();
        builder.Services.AddHostedService<LinkSender>();
        builder.Services.AddHostedService<LinkReceiver>();
        builder.AddMessaging<GatewayDb>("gateway", bus => bus.AddConsumer<ReportReleasedConsumer>());
        return builder;
    }

    public static WebApplication MapGatewayApi(this WebApplication app)
    {
        app.MapGroup("/api/v1/gateway").MapPairing().MapRecord();
        return app;
    }
}
