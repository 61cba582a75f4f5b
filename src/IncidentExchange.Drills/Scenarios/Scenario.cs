using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IncidentExchange.Drills.Scenarios;

/// <summary>
/// A drill scenario (protocols/drills/*.yaml): injects — report templates with their reporting party and lab — at
/// offsets from the drill's start, and the actions expected of each party within limits measured from the inject's
/// filing.
/// </summary>
public sealed record Scenario(string Id, ScenarioTitle Title, string Description, IReadOnlyList<ScenarioInject> Injects)
{
    public IReadOnlyList<string> Parties => Injects.Select(i => i.Party).Distinct().Order(StringComparer.Ordinal).ToList();

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Reads a scenario from YAML; null with the problems when it is not a valid scenario.</summary>
    public static Scenario? Parse(string yaml, out List<string> errors)
    {
        errors = [];
        Scenario? scenario;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            scenario = ToJson(stream.Documents.Single().RootNode)?.Deserialize<Scenario>(Options);
        }
        catch (Exception e) when (e is YamlException or JsonException or InvalidOperationException)
        {
            errors.Add($"Not a scenario: {e.Message}");
            return null;
        }
        if (scenario is null)
        {
            errors.Add("The scenario is empty.");
            return null;
        }
        Validate(scenario, errors);
        return errors.Count == 0 ? scenario : null;
    }

    public static readonly IReadOnlySet<string> ExpectedParties = new HashSet<string> { "home", "counterpart" };
    public static readonly IReadOnlySet<string> Actions = new HashSet<string> { "acknowledge", "release", "respond" };

    private static void Validate(Scenario s, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(s.Id) || s.Id.Length > 64 || !s.Id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            errors.Add("id: 1 to 64 lower-case letters, digits and hyphens.");
        if (string.IsNullOrWhiteSpace(s.Title?.En) || string.IsNullOrWhiteSpace(s.Title?.ZhHans))
            errors.Add("title: en and zh-Hans are required.");
        if (s.Injects is not { Count: > 0 and <= 100 })
        {
            errors.Add("injects: 1 to 100.");
            return;
        }
        for (var i = 0; i < s.Injects.Count; i++)
        {
            var inject = s.Injects[i];
            var at = $"injects[{i}]";
            if (inject.OffsetMinutes is < 0 or > 7 * 24 * 60 || (i > 0 && inject.OffsetMinutes < s.Injects[i - 1].OffsetMinutes))
                errors.Add($"{at}.offsetMinutes: 0 to 10080, in order.");
            if (string.IsNullOrWhiteSpace(inject.Party) || inject.Party.Length > 8)
                errors.Add($"{at}.party: a party code.");
            if (string.IsNullOrWhiteSpace(inject.Lab) || inject.Lab.Length > 64)
                errors.Add($"{at}.lab: the code of the lab organisation that files it.");
            if (inject.Report?["title"] is not JsonValue title || title.GetValueKind() != JsonValueKind.String)
                errors.Add($"{at}.report: a report template with a title.");
            else if (inject.Report.ContainsKey("exercise") || inject.Report.ContainsKey("timeline"))
                errors.Add($"{at}.report: exercise and timeline are set by the drill.");
            if (inject.OccurredMinutesBefore is < 0 or > 365 * 24 * 60)
                errors.Add($"{at}.occurredMinutesBefore: 0 to a year.");
            foreach (var (expected, j) in (inject.Expect ?? []).Select((e, j) => (e, j)))
                if (!ExpectedParties.Contains(expected.Party ?? "") || !Actions.Contains(expected.Action ?? "") || expected.WithinMinutes is < 1 or > 7 * 24 * 60)
                    errors.Add($"{at}.expect[{j}]: party home|counterpart, action acknowledge|release|respond, withinMinutes 1 to 10080.");
        }
    }

    /// <summary>YAML to JSON: plain scalars that read as numbers, booleans or null become those; everything else text.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: var plain } => plain switch
        {
            null or "" or "null" or "~" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            _ when double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(plain),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"Unsupported YAML node at {node.Start}."),
    };
}

public sealed record ScenarioTitle(string En, [property: System.Text.Json.Serialization.JsonPropertyName("zh-Hans")] string ZhHans);

/// <param name="Report">The report as the Reports API takes it, without <c>exercise</c> and <c>timeline</c>, which the drill sets.</param>
/// <param name="OccurredMinutesBefore">The report's <c>timeline.occurredAt</c>, this long before it is filed.</param>
public sealed record ScenarioInject(
    int OffsetMinutes, string Party, string Lab, JsonObject Report, IReadOnlyList<Expectation>? Expect, int OccurredMinutesBefore = 0);

/// <summary>An action expected of the inject's home party or of its counterpart, within minutes of the inject's filing.</summary>
public sealed record Expectation(string Party, string Action, int WithinMinutes);
