namespace IncidentExchange.Translation.Engines;

/// <summary>
/// A circuit breaker for the engine: after <see cref="FailuresToOpen"/> failures in a row it stops calling the engine
/// for <see cref="OpenFor"/>, then lets one call through; a success closes it, a failure opens it again. Translations
/// wait meanwhile (they are queued in the database); nothing else does.
/// </summary>
public sealed class EngineBreaker(TimeProvider clock)
{
    public const int FailuresToOpen = 5;
    public static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private int _failures;
    private DateTimeOffset _openUntil = DateTimeOffset.MinValue;

    public bool IsOpen
    {
        get { lock (_lock) return _failures >= FailuresToOpen && clock.GetUtcNow() < _openUntil; }
    }

    /// <summary>When the engine may next be tried; now or earlier when the breaker is closed.</summary>
    public DateTimeOffset ClosedFrom
    {
        get { lock (_lock) return _failures >= FailuresToOpen ? _openUntil : DateTimeOffset.MinValue; }
    }

    public void Succeeded()
    {
        lock (_lock)
            _failures = 0;
    }

    public void Failed()
    {
        lock (_lock)
        {
            _failures++;
            if (_failures >= FailuresToOpen)
                _openUntil = clock.GetUtcNow() + OpenFor;
        }
    }
}
