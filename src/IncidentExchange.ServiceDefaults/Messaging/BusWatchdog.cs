using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace IncidentExchange.ServiceDefaults.Messaging;

/// <summary>
/// Ends the process, with <see cref="RestartExitCode"/>, when the bus has stayed unhealthy for a minute although the
/// broker accepts connections: a receive endpoint whose acknowledgement failed in a broker outage can stay faulted for
/// good (MassTransit issue #2072), and then its queue is never consumed again; and publishes can hang on a channel
/// that died with the broker (<see cref="PublishHealth"/>), and then the outbox is never emptied. A fresh process recovers on the paths
/// every crash already takes (outbox, inbox, redelivery); the supervisor (ops/start-service.sh, Docker's restart
/// policy) starts it again. While the broker itself is away nothing happens: the bus reconnects when it returns.
/// </summary>
public sealed class BusWatchdog(
    IBusControl bus, PublishHealth publishHealth, RabbitMqOptions rabbit, IHostApplicationLifetime lifetime, TimeProvider time,
    ILogger<BusWatchdog> logger)
    : BackgroundService
{
    /// <summary>EX_TEMPFAIL: "try again"; the only exit code the supervisor restarts on.</summary>
    public const int RestartExitCode = 75;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = new StallClock(TimeSpan.FromMinutes(1));
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var health = bus.CheckHealth();
                var healthy = health.Status == BusHealthStatus.Healthy && publishHealth.FailingSince is null;
                var brokerAnswers = !healthy && await BrokerAnswersAsync(stoppingToken);
                if (!clock.Observe(healthy, brokerAnswers, time.GetUtcNow()))
                    continue;
                logger.LogCritical(
                    "The bus has been unhealthy for a minute although the broker answers ({Description}; publishes failing since {FailingSince}); exiting with {ExitCode} to be restarted",
                    health.Description, publishHealth.FailingSince, RestartExitCode);
                Environment.ExitCode = RestartExitCode;
                lifetime.StopApplication();
                return;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> BrokerAnswersAsync(CancellationToken cancellationToken)
    {
        var factory = rabbit.ConnectionFactory("bus-watchdog probe");
        factory.RequestedConnectionTimeout = TimeSpan.FromSeconds(3);
        factory.AutomaticRecoveryEnabled = false;
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await connection.CloseAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// How long the bus has been unhealthy while the broker answered, without a break. A moment the broker is away
    /// starts the clock again, so that a reconnecting bus gets the whole limit after the broker's return.
    /// </summary>
    public sealed class StallClock(TimeSpan limit)
    {
        private DateTimeOffset? _since;

        /// <returns>True once the stall has lasted the limit.</returns>
        public bool Observe(bool busHealthy, bool brokerAnswers, DateTimeOffset now)
        {
            if (busHealthy || !brokerAnswers)
            {
                _since = null;
                return false;
            }
            _since ??= now;
            return now - _since.Value >= limit;
        }
    }
}
