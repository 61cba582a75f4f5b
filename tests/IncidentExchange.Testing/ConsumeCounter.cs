using MassTransit;

namespace IncidentExchange.Testing;

/// <summary>
/// Counts every completed consumption of a message type, duplicates included (the test harness keeps one record per
/// message id, so it cannot show that a redelivered copy was consumed and dropped).
/// </summary>
public sealed class ConsumeCounter<T> : IConsumeMessageObserver<T> where T : class
{
    private readonly Func<T, bool> _filter;
    private int _count;

    private ConsumeCounter(Func<T, bool> filter) => _filter = filter;

    public int Count => Volatile.Read(ref _count);

    public static ConsumeCounter<T> Attach(IBus bus, Func<T, bool> filter)
    {
        var counter = new ConsumeCounter<T>(filter);
        bus.ConnectConsumeMessageObserver(counter);
        return counter;
    }

    public Task PreConsume(ConsumeContext<T> context) => Task.CompletedTask;

    public Task PostConsume(ConsumeContext<T> context)
    {
        if (_filter(context.Message))
            Interlocked.Increment(ref _count);
        return Task.CompletedTask;
    }

    public Task ConsumeFault(ConsumeContext<T> context, Exception exception) => Task.CompletedTask;
}
