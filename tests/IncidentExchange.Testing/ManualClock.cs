namespace IncidentExchange.Testing;

/// <summary>A clock that stands still until a test moves it: the system's time plus whatever the test has added.</summary>
public sealed class ManualClock : TimeProvider
{
    private TimeSpan _ahead;

    public void Advance(TimeSpan by) => _ahead += by;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _ahead;
}
