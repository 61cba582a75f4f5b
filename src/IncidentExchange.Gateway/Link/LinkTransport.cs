using System.Text;
using IncidentExchange.ServiceDefaults.Messaging;
using RabbitMQ.Client;

namespace IncidentExchange.Gateway.Link;

/// <summary>
/// The gateway's own connection to its node's broker for the link's two queues: it publishes to the outbound queue
/// (durable, persistent, each publish confirmed by the broker) and consumes the inbound one. The queues are plain AMQP
/// with the document's bytes as the body, so another government's node needs no MassTransit to read them.
/// RabbitMQ's Shovel moves the outbound queue's messages to the other node's inbound queue (ops/link.sh).
/// </summary>
public sealed class LinkTransport(RabbitMqOptions rabbit, GatewayOptions options, ILogger<LinkTransport> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _publisher;

    public async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await OpenAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Publishes one document to the outbound queue and returns once the broker has confirmed it.</summary>
    public async Task PublishAsync(string document, string type, string id, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenAsync(cancellationToken);
            if (_publisher is not { IsOpen: true })
            {
                _publisher = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            }
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json", Type = type, MessageId = id };
            await _publisher.BasicPublishAsync("", options.OutboundQueue, mandatory: true, properties, Encoding.UTF8.GetBytes(document), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>How many documents wait in the outbound queue for the shovel (the link or the other node is down or slow).</summary>
    public async Task<uint> OutboundWaitingAsync(CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return (await channel.QueueDeclarePassiveAsync(options.OutboundQueue, cancellationToken)).MessageCount;
    }

    private async Task<IConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true })
            return _connection;
        if (_connection is not null)
            await _connection.DisposeAsync();
        _publisher = null;
        var factory = rabbit.ConnectionFactory($"gateway {options.Outbound}");
        factory.AutomaticRecoveryEnabled = true;
        _connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(options.OutboundQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(options.InboundQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        logger.LogInformation("Link queues {Outbound} and {Inbound} ready on {Host}/{VirtualHost}", options.OutboundQueue, options.InboundQueue, rabbit.Host, rabbit.VirtualHost);
        return _connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}
