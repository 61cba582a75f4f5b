using IncidentExchange.Gateway.Data;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Gateway.Link;

/// <summary>Wakes the sender when an envelope was sealed or a receipt came back.</summary>
public sealed class LinkSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // already awake
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Transmits the record's sent envelopes, in order, to the outbound queue, and again from the first without a receipt
/// when receipts stop coming although the queue has been emptied (an envelope or its receipt was lost beyond this
/// broker, or the other node's queue was purged). The other node applies each
/// sequence number once and answers a repeat with the receipt it already gave, so sending twice is safe; not sending
/// is what this guards against.
/// </summary>
public sealed class LinkSender(IServiceScopeFactory scopes, LinkTransport transport, LinkSignal signal, GatewayOptions options,
    TimeProvider clock, ILogger<LinkSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long transmitted = -1; // unknown at start: send everything not yet receipted
        var transmittedAt = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<GatewayDb>();
                var receipted = await db.Record.AsNoTracking()
                    .Where(e => e.Direction == RecordEntry.Received && e.Type == LinkDocuments.Receipt && e.Link == options.Outbound)
                    .MaxAsync(e => (long?)e.Seq, stoppingToken) ?? 0;
                // Overdue, and not merely waiting on this broker for the link to come back: what was sent is lost beyond
                // it (or its receipt is). Sending again while the queue still holds it would pile up copies in an outage.
                var overdue = transmitted > receipted
                    && clock.GetUtcNow() - transmittedAt > TimeSpan.FromSeconds(options.RetransmitAfterSeconds)
                    && await transport.OutboundWaitingAsync(stoppingToken) == 0;
                if (transmitted < receipted || overdue)
                {
                    if (transmitted > receipted)
                        logger.LogWarning("No receipt on {Link} after seq {Receipted} for {Seconds} s: sending again from seq {Next}",
                            options.Outbound, receipted, options.RetransmitAfterSeconds, receipted + 1);
                    transmitted = receipted;
                }
                var pending = await db.Record.AsNoTracking()
                    .Where(e => e.Direction == RecordEntry.Sent && e.Type == LinkDocuments.Envelope && e.Link == options.Outbound && e.Seq > transmitted)
                    .OrderBy(e => e.Seq).Take(200).Select(e => new { e.Seq, e.Hash, e.Document }).ToListAsync(stoppingToken);
                foreach (var envelope in pending)
                {
                    await transport.PublishAsync(envelope.Document, LinkDocuments.Envelope, envelope.Hash, stoppingToken);
                    transmitted = envelope.Seq;
                    transmittedAt = clock.GetUtcNow();
                }
                if (pending.Count == 200)
                    continue;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Sending on {Link} failed; trying again", options.Outbound);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                continue;
            }
            await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }
}
