namespace IncidentExchange.ServiceDefaults.Messaging;

/// <summary>
/// Whether the outbox dispatcher's last publish to the broker went through. After a broker restart a publish can hang
/// for good on a channel MassTransit believes open, while the bus reports healthy; the dispatcher gives up on such a
/// publish after a timeout and says so here, and <see cref="BusWatchdog"/> counts it as a stalled bus.
/// </summary>
public sealed class PublishHealth
{
    private long _failingSinceTicks;

    public DateTimeOffset? FailingSince =>
        Interlocked.Read(ref _failingSinceTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void Failed(DateTimeOffset now) => Interlocked.CompareExchange(ref _failingSinceTicks, now.UtcTicks, 0);

    public void Succeeded() => Interlocked.Exchange(ref _failingSinceTicks, 0);
}
