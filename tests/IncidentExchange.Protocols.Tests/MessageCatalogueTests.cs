using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentExchange.Contracts;
using IncidentExchange.Testing;
using MassTransit;

namespace IncidentExchange.Protocols.Tests;

/// <summary>
/// protocols/messages.md against the code: every message of Contracts has a row (producer, consumers) and a section
/// naming each of its fields; the producers are the services whose code publishes it, the consumers those with a
/// consumer of it. A message added, a field added or a consumer moved without the catalogue fails here.
/// </summary>
public sealed partial class MessageCatalogueTests
{
    private static readonly string[] Services = ["Identity", "Reports", "Triage", "Translation", "Severity", "Alerts", "Drills", "Gateway"];

    private static readonly string Catalogue = File.ReadAllText(Repository.PathOf("protocols/messages.md"));

    /// <summary>The types of Contracts that travel on their own: not a part of another (as ReportTranslated's fields are).</summary>
    private static IEnumerable<Type> Messages()
    {
        var types = typeof(ContractTypes).Assembly.GetTypes().Where(t => ContractTypes.Find(t.FullName!) == t && t.IsClass).ToList();
        var parts = types.SelectMany(t => t.GetProperties()).Select(p => p.PropertyType)
            .SelectMany(t => t.IsGenericType ? t.GetGenericArguments() : [t]).ToHashSet();
        return types.Where(t => !parts.Contains(t)).OrderBy(t => t.FullName, StringComparer.Ordinal);
    }

    private static Assembly ServiceAssembly(string service) => Assembly.Load($"IncidentExchange.{service}");

    private sealed record Row(string Producers, string Consumers);

    private static Dictionary<string, Row> Rows() =>
        CatalogueRow().Matches(Catalogue).ToDictionary(m => m.Groups["message"].Value, m => new Row(m.Groups["producers"].Value.Trim(), m.Groups["consumers"].Value.Trim()));

    private static string ShortName(Type message) => message.FullName!["IncidentExchange.Contracts.".Length..];

    [Fact]
    public void Every_message_has_a_row_and_every_row_a_message()
    {
        Assert.Equal(Messages().Select(ShortName).Order(StringComparer.Ordinal), Rows().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_messages_section_names_every_field()
    {
        foreach (var message in Messages())
        {
            var heading = $"## `{message.FullName}`";
            var start = Catalogue.IndexOf(heading, StringComparison.Ordinal);
            Assert.True(start >= 0, $"protocols/messages.md has no section {heading}");
            var end = Catalogue.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
            var section = Catalogue[start..(end < 0 ? Catalogue.Length : end)];
            foreach (var property in message.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var field = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                Assert.True(section.Contains($"`{field}`", StringComparison.Ordinal), $"{heading} does not name the field `{field}`");
            }
        }
    }

    [Fact]
    public void Consumers_are_the_services_that_consume_each_message()
    {
        var rows = Rows();
        foreach (var message in Messages())
        {
            var consumers = Services.Where(service => ServiceAssembly(service).GetTypes().Any(t => !t.IsAbstract && t.GetInterfaces()
                .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>) && i.GetGenericArguments()[0] == message)));
            Assert.Equal(Listed(rows[ShortName(message)].Consumers), consumers.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Producers_are_the_services_whose_code_publishes_each_message()
    {
        var published = Services.ToDictionary(service => service, service => PublishedBy(service).ToHashSet());
        foreach (var message in Messages())
        {
            var producers = Services.Where(service => published[service].Contains(message));
            Assert.Equal(Listed(Rows()[ShortName(message)].Producers), producers.Order(StringComparer.Ordinal));
        }
    }

    /// <summary>
    /// The message types a service's source passes to <c>Publish</c>: <c>Publish(new T(…))</c>, or
    /// <c>Publish(C.M(…))</c> where the service's type C has a method M returning T.
    /// </summary>
    private static IEnumerable<Type> PublishedBy(string service)
    {
        var assembly = ServiceAssembly(service);
        foreach (var file in Directory.EnumerateFiles(Repository.PathOf($"src/IncidentExchange.{service}"), "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")))
            foreach (Match call in PublishCall().Matches(File.ReadAllText(file)))
            {
                if (call.Groups["type"].Success)
                    yield return Messages().Single(m => m.Name == call.Groups["type"].Value);
                else
                    yield return assembly.GetTypes().Single(t => t.Name == call.Groups["class"].Value)
                        .GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).First(m => m.Name == call.Groups["method"].Value).ReturnType;
            }
    }

    private static IEnumerable<string> Listed(string cell) =>
        cell.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);

    [GeneratedRegex(@"^\| `(?<message>[A-Za-z]+\.[A-Za-z]+)` \| (?<producers>[^|]*) \| (?<consumers>[^|]*) \|", RegexOptions.Multiline)]
    private static partial Regex CatalogueRow();

    [GeneratedRegex(@"\bPublish\(\s*(?:new\s+(?<type>\w+)\s*\(|(?<class>\w+)\.(?<method>\w+)\s*\()")]
    private static partial Regex PublishCall();
}
