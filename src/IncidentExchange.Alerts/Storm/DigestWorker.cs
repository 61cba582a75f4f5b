using IncidentExchange.Alerts.Data;
using IncidentExchange.Alerts.Hub;
using IncidentExchange.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Alerts.Storm;

/// <summary>Wakes the <see cref="DigestWorker"/> before its next sweep (tests that move the clock use it).</summary>
public sealed class DigestSignal : WakeSignal;

/// <summary>
/// Sends each party's digest when its interval has passed: the low-level alerts stored since the last one, pushed to
/// the party's contact points in one message, and marked as sent. Alerts stay listed by <c>GET /api/v1/alerts</c>.
/// </summary>
public sealed class DigestWorker(IServiceScopeFactory scopes, DigestSignal signal, TimeProvider clock, ILogger<DigestWorker> logger)
    : SweepingWorker(signal, logger)
{
    protected override TimeSpan Sweep => TimeSpan.FromSeconds(30);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertsDb>();
        var hub = scope.ServiceProvider.GetRequiredService<IHubContext<AlertsHub, IAlertsClient>>();
        var now = clock.GetUtcNow();
        var parties = await db.Alerts.AsNoTracking().Where(a => a.Digest && a.DigestedAt == null).Select(a => a.Party).Distinct().ToListAsync(cancellationToken);
        foreach (var party in parties)
        {
            var settings = await db.PartySettings.SingleOrDefaultAsync(p => p.Party == party, cancellationToken);
            var interval = TimeSpan.FromMinutes(settings?.DigestEveryMinutes ?? 60);
            if (settings?.LastDigestAt is { } last && last + interval > now)
                continue;
            var alerts = await db.Alerts.Where(a => a.Party == party && a.Digest && a.DigestedAt == null).OrderBy(a => a.Sequence).Take(500).ToListAsync(cancellationToken);
            foreach (var alert in alerts)
                alert.DigestedAt = now;
            if (settings is null)
                db.PartySettings.Add(settings = new PartySettings { Party = party });
            settings.LastDigestAt = now;
            await db.SaveChangesAsync(cancellationToken);
            await hub.Clients.Group(AlertsHub.PartyGroup(party)).Digest(new DigestMessage(party, now, alerts.Select(AlertMessage.From).ToList()));
            logger.LogInformation("Digest of {Count} alerts sent to {Party}.", alerts.Count, party);
        }
    }
}
