using IncidentExchange.ServiceDefaults.Messaging;

namespace IncidentExchange.ServiceDefaults.Tests.Messaging;

public sealed class BusWatchdogTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_bus_unhealthy_for_the_limit_while_the_broker_answers_is_stalled()
    {
        var clock = new BusWatchdog.StallClock(Limit);

        Assert.False(clock.Observe(busHealthy: false, brokerAnswers: true, Start));
        Assert.False(clock.Observe(busHealthy: false, brokerAnswers: true, Start + Limit - TimeSpan.FromSeconds(1)));
        Assert.True(clock.Observe(busHealthy: false, brokerAnswers: true, Start + Limit));
    }

    [Fact]
    public void A_broker_outage_of_any_length_is_not_a_stall_and_the_bus_gets_the_whole_limit_after_it()
    {
        var clock = new BusWatchdog.StallClock(Limit);

        for (var seconds = 0; seconds <= 600; seconds += 5)
            Assert.False(clock.Observe(busHealthy: false, brokerAnswers: false, Start.AddSeconds(seconds)));
        var back = Start.AddSeconds(605);
        Assert.False(clock.Observe(busHealthy: false, brokerAnswers: true, back));
        Assert.False(clock.Observe(busHealthy: false, brokerAnswers: true, back + Limit / 2));
        Assert.True(clock.Observe(busHealthy: false, brokerAnswers: true, back + Limit));
    }

    [Fact]
    public void A_healthy_moment_starts_the_clock_again()
    {
        var clock = new BusWatchdog.StallClock(Limit);

        Assert.False(clock.Observe(busHealthy: false, brokerAnswers: true, Start));
        Assert.False(clock.Observe(busHealthy: true, brokerAnswers: false, Start + Limit / 2));
        Assert.False(clock.Observe(busHealthy: false, brokerAnswers: true, Start + Limit));
        Assert.False(clock.Observe(busHealthy: false, brokerAnswers: true, Start + Limit * 1.5 - TimeSpan.FromSeconds(1)));
        Assert.True(clock.Observe(busHealthy: false, brokerAnswers: true, Start + Limit * 2));
    }
}
