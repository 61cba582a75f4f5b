using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentExchange.ServiceDefaults.Messaging;

/// <summary>How to reach RabbitMQ; bound from the <c>RabbitMq</c> configuration section.</summary>
public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";

    /// <summary>For code that talks to the broker beside MassTransit: the bus watchdog's probe, the gateway's link.</summary>
    public RabbitMQ.Client.ConnectionFactory ConnectionFactory(string clientName) => new()
    {
        HostName = Host,
        Port = Port,
        VirtualHost = VirtualHost,
        UserName = Username,
        Password = Password,
        ClientProvidedName = clientName,
    };
}

public static class MessagingExtensions
{
    /// <summary>
    /// The bus on RabbitMQ (durable quorum queues, bounded retries, then the consumer's <c>_error</c> queue),
    /// with this service's consumers, the outbox dispatcher for its database, and the watchdog that restarts a stalled bus.
    /// </summary>
    /// <param name="service">Prefixes this service's queue names, so two services consuming one event each get a copy.</param>
    public static WebApplicationBuilder AddMessaging<TDb>(this WebApplicationBuilder builder, string service, Action<IBusRegistrationConfigurator> consumers)
        where TDb : DbContext, IMessagingDbContext
    {
        var rabbit = builder.Configuration.GetSection("RabbitMq").Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(service, includeNamespace: false));
            // MassTransit reports usage to its vendor over the internet unless told not to; government systems must not.
            bus.DisableUsageTelemetry();
            consumers(bus);
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 2000, 5000));
                // At most 8 messages in work per queue: with a few queues per service this stays within its
                // database pool, and a backlog drains steadily instead of timing out on pooled connections.
                endpoint.ConcurrentMessageLimit = 8;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint)
                    rabbitEndpoint.SetQuorumQueue();
            });
            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, host =>
                {
                    host.Username(rabbit.Username);
                    host.Password(rabbit.Password);
                });
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddSingleton(rabbit);
        builder.Services.AddSingleton<PublishHealth>();
        builder.Services.AddHostedService<BusWatchdog>();
        builder.Services.AddHostedService<OutboxDispatcher<TDb>>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<MessageRetention<TDb>>();
        return builder;
    }
}
