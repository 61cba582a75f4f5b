using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IncidentExchange.Testing;
using NJsonSchema;

namespace IncidentExchange.Reports.Tests.Protocol;

/// <summary>The schema in protocols/ is read by an independent validator as well as by the API, and they agree.</summary>
public sealed class ReportSchemaTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private static readonly string Examples = Repository.PathOf("protocols/schemas/examples");

    public static TheoryData<string> ValidExamples => new(Directory.GetFiles(Path.Combine(Examples, "valid"), "*.json").Select(Path.GetFileName)!);

    public static TheoryData<string> InvalidExamples => new(Directory.GetFiles(Path.Combine(Examples, "invalid"), "*.json").Select(Path.GetFileName)!);

    private static async Task<JsonSchema> SchemaAsync() =>
        await JsonSchema.FromFileAsync(Repository.PathOf("protocols/schemas/incident-report.v1.schema.json"));

    [Theory]
    [MemberData(nameof(ValidExamples))]
    public async Task Valid_example_passes_the_schema_and_is_accepted_by_the_api(string file)
    {
        var json = await File.ReadAllTextAsync(Path.Combine(Examples, "valid", file));
        Assert.Empty((await SchemaAsync()).Validate(json));

        var response = await factory.UsLabClient().PostAsync("/api/v1/reports", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // What is shown is what was filed: every member, nothing added.
        var shown = (await factory.UsLabClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}")).GetProperty("document");
        Assert.True(JsonElement.DeepEquals(Normalise(JsonDocument.Parse(json).RootElement), Normalise(shown)), $"{file} came back as {shown}");
    }

    [Theory]
    [MemberData(nameof(InvalidExamples))]
    public async Task Invalid_example_fails_the_schema_and_is_refused_by_the_api(string file)
    {
        var json = await File.ReadAllTextAsync(Path.Combine(Examples, "invalid", file));
        Assert.NotEmpty((await SchemaAsync()).Validate(json));

        var response = await factory.UsLabClient().PostAsync("/api/v1/reports", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Schema_takes_its_categories_and_harms_from_the_taxonomy_files()
    {
        var schema = await SchemaAsync();
        Assert.Equal(Codes("protocols/taxonomy/categories.json", "categories"),
            schema.Properties["category"].Enumeration.Select(v => v!.ToString()!).Order());
        Assert.Equal(Codes("protocols/taxonomy/harms.json", "harms"),
            schema.Properties["harms"].Item!.Enumeration.Select(v => v!.ToString()!).Order());
    }

    [Fact]
    public async Task Every_category_harm_and_kind_has_an_english_and_a_chinese_label()
    {
        var terms = JsonDocument.Parse(await File.ReadAllTextAsync(Repository.PathOf("protocols/glossary/glossary.json"))).RootElement.GetProperty("terms");
        var schema = await SchemaAsync();
        var keys = Codes("protocols/taxonomy/categories.json", "categories").Select(c => $"category:{c}")
            .Concat(Codes("protocols/taxonomy/harms.json", "harms").Select(c => $"harm:{c}"))
            .Concat(schema.Properties["kind"].Enumeration.Select(v => $"kind:{v}"));
        foreach (var key in keys)
        {
            Assert.True(terms.TryGetProperty(key, out var term), $"no glossary term {key}");
            Assert.False(string.IsNullOrWhiteSpace(term.GetProperty("en").GetString()), key);
            Assert.False(string.IsNullOrWhiteSpace(term.GetProperty("zh-Hans").GetString()), key);
        }
    }

    private static IOrderedEnumerable<string> Codes(string file, string list) =>
        JsonDocument.Parse(File.ReadAllText(Repository.PathOf(file))).RootElement.GetProperty(list)
            .EnumerateArray().Select(c => c.GetProperty("code").GetString()!).Order();

    /// <summary>Dates compared as instants (the store may write an offset differently), everything else as is.</summary>
    private static JsonElement Normalise(JsonElement element) => JsonSerializer.SerializeToElement(Walk(element));

    private static object? Walk(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).ToDictionary(p => p.Name, p => Walk(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().Select(Walk).ToList(),
        JsonValueKind.String when DateTimeOffset.TryParse(e.GetString(), out var t) && e.GetString()!.Contains('T') => t.UtcDateTime,
        JsonValueKind.Number => e.GetDecimal(),
        _ => e.ToString(),
    };
}
