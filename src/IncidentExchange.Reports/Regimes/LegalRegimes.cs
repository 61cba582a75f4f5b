using IncidentExchange.Reports.Protocol;
using IncidentExchange.ServiceDefaults;

namespace IncidentExchange.Reports.Regimes;

/// <summary>
/// The legal reporting regimes of protocols/severity/legal-regimes.json, applied to a report: which apply, whether
/// their expedited criteria are met, and the resulting deadline, counted from awareness (the report's detection time,
/// or when it was filed). A screening aid for the home contact point; each regime cites its source.
/// </summary>
public sealed class LegalRegimes
{
    private sealed record File(string Version, List<Regime> Regimes);

    private sealed record Regime(string Id, Dictionary<string, string> Name, string Source, string Note, Scope AppliesWhen, Period Standard, List<Criterion> Expedited);

    private sealed record Scope(List<string>? JurisdictionsAny, int? LevelAtLeast);

    private sealed record Period(int Hours, string Label);

    private sealed record Criterion(string When, int Hours, string Label);

    /// <summary>One regime's clock for a report.</summary>
    public sealed record Clock(
        string Id, IReadOnlyDictionary<string, string> Name, string Source, string Note,
        bool Expedited, string Basis, DateTimeOffset Awareness, DateTimeOffset Deadline);

    private static readonly HashSet<string> Criteria = ["death", "deathOrSeriousInjury", "criticalInfrastructureAffected", "widespreadInfringement"];

    private readonly File _file;

    private LegalRegimes(File file)
    {
        var unknown = file.Regimes.SelectMany(r => r.Expedited).Select(c => c.When).Where(w => !Criteria.Contains(w)).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException($"legal-regimes.json names criteria this service does not know: {string.Join(", ", unknown)}.");
        _file = file;
    }

    public static LegalRegimes Load() => new(ProtocolFiles.Read<File>(typeof(LegalRegimes).Assembly, "severity/legal-regimes.json"));

    public string Version => _file.Version;

    /// <param name="level">The report's assessed severity; regimes with a level threshold wait for it.</param>
    /// <param name="filedAt">When the report was first filed: awareness at the latest.</param>
    public IReadOnlyList<Clock> Evaluate(IncidentReport report, int? level, DateTimeOffset filedAt)
    {
        var jurisdictions = report.Impact?.JurisdictionsAffected ?? [];
        var awareness = report.Timeline.DetectedAt ?? filedAt;
        var clocks = new List<Clock>();
        foreach (var regime in _file.Regimes)
        {
            var inScope = regime.AppliesWhen.JurisdictionsAny?.Intersect(jurisdictions).Count() ?? 0;
            if (regime.AppliesWhen.JurisdictionsAny is not null && inScope == 0)
                continue;
            if (regime.AppliesWhen.LevelAtLeast is { } threshold && (level is null || level < threshold))
                continue;
            var shortest = regime.Expedited.Where(c => Meets(c.When, report, inScope)).MinBy(c => c.Hours);
            var (hours, basis) = shortest is not null && shortest.Hours < regime.Standard.Hours
                ? (shortest.Hours, shortest.Label)
                : (regime.Standard.Hours, regime.Standard.Label);
            clocks.Add(new Clock(regime.Id, regime.Name, regime.Source, regime.Note, hours < regime.Standard.Hours, basis, awareness, awareness.AddHours(hours)));
        }
        return clocks;
    }

    private static bool Meets(string criterion, IncidentReport report, int jurisdictionsInScope) => criterion switch
    {
        "death" => report.Impact?.Deaths > 0,
        "deathOrSeriousInjury" => report.Impact?.Deaths > 0 || report.Impact?.SeriousInjuries > 0,
        "criticalInfrastructureAffected" => report.Impact?.CriticalInfrastructureAffected == true,
        "widespreadInfringement" => jurisdictionsInScope >= 2,
        _ => false,
    };
}
