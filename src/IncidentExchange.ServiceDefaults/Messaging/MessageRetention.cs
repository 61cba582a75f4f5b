using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentExchange.ServiceDefaults.Messaging;

/// <summary>
/// Keeps the outbox and inbox from growing without bound: sent outbox messages and inbox records older than the
/// window are deleted hourly. The window (7 days) is far longer than any redelivery (retries end within seconds;
/// a broker or service outage is hours at worst), so a duplicate still finds its inbox record.
/// Unsent outbox messages are never deleted.
/// </summary>
public sealed class MessageRetention<TDb>(IServiceScopeFactory scopes, TimeProvider clock, ILogger<MessageRetention<TDb>> logger)
    : BackgroundService where TDb : DbContext, IMessagingDbContext
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var (outbox, inbox) = await PruneAsync(scope.ServiceProvider.GetRequiredService<TDb>(), clock.GetUtcNow() - Window, stoppingToken);
                if (outbox + inbox > 0)
                    logger.LogInformation("Pruned {Outbox} sent outbox messages and {Inbox} inbox records", outbox, inbox);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Pruning the outbox and inbox failed; will try again");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public static async Task<(int Outbox, int Inbox)> PruneAsync(TDb db, DateTimeOffset olderThan, CancellationToken cancellationToken) => (
        await db.OutboxMessages.Where(m => m.SentAt != null && m.SentAt < olderThan).ExecuteDeleteAsync(cancellationToken),
        await db.InboxMessages.Where(m => m.ProcessedAt < olderThan).ExecuteDeleteAsync(cancellationToken));
}
