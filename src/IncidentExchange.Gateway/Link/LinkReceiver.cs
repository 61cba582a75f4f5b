using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IncidentExchange.Gateway.Link;

/// <summary>
/// Consumes the inbound queue one document at a time, in the order the other node sent them, and acknowledges each to
/// the broker only after the database holds what became of it (applied, a duplicate, or refused). A failure of this
/// node's own (its database away) puts the document back on the queue to be tried again.
/// </summary>
public sealed class LinkReceiver(IServiceScopeFactory scopes, LinkTransport transport, GatewayOptions options, ILogger<LinkReceiver> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var connection = await transport.ConnectionAsync(stoppingToken);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
                await channel.BasicQosAsync(0, 16, false, stoppingToken);
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += (_, delivery) => HandleAsync(channel, delivery, stoppingToken);
                await channel.BasicConsumeAsync(options.InboundQueue, autoAck: false, consumer, stoppingToken);
                while (channel.IsOpen && connection.IsOpen)
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Receiving on {Link} failed; trying again", options.Inbound);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        string? receipt;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            receipt = await scope.ServiceProvider.GetRequiredService<InboundHandler>().HandleAsync(delivery.Body, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "A document on {Link} could not be handled; it goes back on the queue", options.Inbound);
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, stoppingToken);
            return;
        }
        if (receipt is not null)
        {
            try
            {
                await transport.PublishAsync(receipt, LinkDocuments.Receipt, delivery.BasicProperties.MessageId ?? "", stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The receipt is in the record; the other node sends the envelope again and gets it then.
                logger.LogWarning(e, "A receipt on {Link} could not be sent now", options.Outbound);
            }
        }
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
    }
}
