using IncidentExchange.ServiceDefaults;

namespace IncidentExchange.Reports;

/// <summary>The controlled values a report may take, read from protocols/.</summary>
public static class Vocabulary
{
    private sealed record Taxonomy(List<Category> Categories);
    private sealed record Category(string Code);

    public static readonly IReadOnlySet<string> Categories =
        ProtocolFiles.Read<Taxonomy>(typeof(Vocabulary).Assembly, "taxonomy/categories.json").Categories.Select(c => c.Code).ToHashSet();

    /// <summary>TLP 2.0 labels, without the "TLP:" prefix.</summary>
    public static readonly IReadOnlySet<string> Tlp = new HashSet<string> { "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED" };

    public static readonly IReadOnlySet<string> Languages = new HashSet<string> { "en", "zh-Hans" };
}
