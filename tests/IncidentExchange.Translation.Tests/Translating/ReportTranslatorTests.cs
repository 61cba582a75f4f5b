using System.Text.Json;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Testing;
using IncidentExchange.Translation.Translating;

namespace IncidentExchange.Translation.Tests.Translating;

public sealed class ReportTranslatorTests
{
    private readonly Glossary.Glossary _glossary = Glossary.Glossary.Load();

    private static ReportSubmitted Report(string language, string category = "weights-leak", string? mitigations = null) =>
        new(Guid.NewGuid(), 1, "US", Guid.NewGuid(), category, "incident", language, "Weights leaked", "Weights of Frontier-1 were posted online.",
            "AMBER+STRICT", false, DateTimeOffset.UtcNow, Mitigations: mitigations);

    [Fact]
    public void English_report_gets_its_category_and_kind_in_chinese_from_the_glossary()
    {
        var fields = new ReportTranslator(_glossary).Controlled(Report("en"), "zh-Hans", DateTimeOffset.UtcNow);
        var category = fields.Single(f => f.Field == "category");
        Assert.Equal("zh-Hans", category.TargetLanguage);
        Assert.Equal("模型权重窃取或泄露", category.Text);
        Assert.Equal(ReportTranslator.FromGlossary, category.Status);
        Assert.Equal(ReportTranslator.Hash("weights-leak"), category.SourceHash);
        Assert.Equal("事件", fields.Single(f => f.Field == "kind").Text);
    }

    [Fact]
    public void Chinese_report_gets_its_category_in_english()
    {
        var translator = new ReportTranslator(_glossary);
        Assert.Equal(["en"], translator.TargetsOf("zh-Hans"));
        var category = translator.Controlled(Report("zh-Hans"), "en", DateTimeOffset.UtcNow).Single(f => f.Field == "category");
        Assert.Equal("Model-weight exfiltration or leak", category.Text);
    }

    [Fact]
    public void A_code_the_glossary_lacks_is_untranslated_not_copied()
    {
        var category = new ReportTranslator(_glossary).Controlled(Report("en", category: "not-a-category"), "zh-Hans", DateTimeOffset.UtcNow)
            .Single(f => f.Field == "category");
        Assert.Equal(ReportTranslator.Untranslated, category.Status);
        Assert.Null(category.Text);
    }

    [Fact]
    public void Free_text_fields_are_title_summary_and_mitigations_when_given()
    {
        Assert.Equal(["title", "summary"], ReportTranslator.FreeText(Report("en")).Select(s => s.Field));
        Assert.Equal(["title", "summary", "timeline.mitigations"], ReportTranslator.FreeText(Report("en", mitigations: "Keys rotated.")).Select(s => s.Field));
    }

    [Fact]
    public void Glossary_renders_every_taxonomy_category_in_both_languages()
    {
        using var taxonomy = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("protocols/taxonomy/categories.json")));
        foreach (var code in taxonomy.RootElement.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("code").GetString()))
            foreach (var language in _glossary.Languages)
                Assert.False(string.IsNullOrWhiteSpace(_glossary.Render($"category:{code}", language)), $"category:{code} has no {language} label");
    }
}
