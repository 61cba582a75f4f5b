namespace IncidentExchange.Drills.Scenarios;

/// <summary>The scenarios the protocol ships (protocols/drills/*.yaml, embedded), by id. One that does not validate stops the service.</summary>
public sealed class ScenarioLibrary
{
    private readonly Dictionary<string, Scenario> _scenarios;

    private ScenarioLibrary(Dictionary<string, Scenario> scenarios) => _scenarios = scenarios;

    public IReadOnlyCollection<Scenario> All => _scenarios.Values;

    public Scenario? Find(string id) => _scenarios.GetValueOrDefault(id);

    public static ScenarioLibrary Load()
    {
        var assembly = typeof(ScenarioLibrary).Assembly;
        var scenarios = new Dictionary<string, Scenario>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("protocols/drills/", StringComparison.Ordinal)).Order())
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            var scenario = Scenario.Parse(reader.ReadToEnd(), out var errors)
                ?? throw new InvalidOperationException($"{name} is not a valid scenario: {string.Join(" ", errors)}");
            if (!scenarios.TryAdd(scenario.Id, scenario))
                throw new InvalidOperationException($"{name}: scenario id {scenario.Id} is used twice.");
        }
        return new ScenarioLibrary(scenarios);
    }
}
