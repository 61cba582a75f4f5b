using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentExchange.ServiceDefaults.Messaging;

/// <summary>Wakes a background worker at once when there is work, instead of at its next sweep.</summary>
public class WakeSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _channel.Reader.WaitToReadAsync(timer.Token);
            _channel.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>
/// A background worker that sweeps: runs <see cref="RunOnceAsync"/> when its signal wakes it, or every
/// <see cref="Sweep"/> as a fallback; a failed run is logged and tried again at the next.
/// </summary>
public abstract class SweepingWorker(WakeSignal signal, ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Sweep { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "{Worker} failed; trying again at its next sweep.", GetType().Name);
            }
            await signal.WaitAsync(Sweep, stoppingToken);
        }
    }
}

/// <summary>Wakes the outbox dispatcher right after a commit that wrote outbox messages.</summary>
public sealed class OutboxSignal : WakeSignal;

/// <summary>
/// Notices outbox messages being saved and wakes the dispatcher once they are committed: straight after
/// <c>SaveChanges</c> when it ran its own transaction, or when the surrounding transaction commits.
/// </summary>
public sealed class OutboxCommitInterceptor(OutboxSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbTransaction, object> _pending = new();

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Track(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Track(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        WakeIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        WakeIfCommitted(eventData.Context);
        return result;
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (_pending.TryGetValue(transaction, out _))
        {
            _pending.Remove(transaction);
            signal.Wake();
        }
    }

    private readonly ConditionalWeakTable<DbContext, object> _savingOutbox = new();

    private void Track(DbContext? context)
    {
        if (context is null || !context.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
            return;
        if (context.Database.CurrentTransaction is { } transaction)
            _pending.AddOrUpdate(transaction.GetDbTransaction(), this);
        else
            _savingOutbox.AddOrUpdate(context, this);
    }

    private void WakeIfCommitted(DbContext? context)
    {
        if (context is not null && _savingOutbox.TryGetValue(context, out _))
        {
            _savingOutbox.Remove(context);
            signal.Wake();
        }
    }
}
