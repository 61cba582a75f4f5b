using System.Text.Json;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Testing;
using IncidentExchange.Translation.Translating;

namespace IncidentExchange.Translation.Tests.Translating;

public sealed class ReportTranslatorTests
{
    private readonly Glossary.Glossary _glossary = Glossary.Glossary.Load();

    private static ReportSubmitted Report(string language, string category = "weights-leak", string tlp = "AMBER+STRICT") =>
        new(Guid.NewGuid(), 1, "US", Guid.NewGuid(), category, "incident", language, "Weights leaked", "Weights of Frontier-1 were posted online.",
            tlp, false, DateTimeOffset.UtcNow);

    [Fact]
    public void English_report_gets_its_category_in_chinese_from_the_glossary()
    {
        var fields = new ReportTranslator(_glossary).Translate(Report("en"));
        var category = fields.Single(f => f.Field == "category");
        Assert.Equal("zh-Hans", category.TargetLanguage);
        Assert.Equal("模型权重窃取或泄露", category.Text);
        Assert.Equal("glossary", category.Engine);
    }

    [Fact]
    public void Chinese_report_gets_its_category_in_english()
    {
        var category = new ReportTranslator(_glossary).Translate(Report("zh-Hans")).Single(f => f.Field == "category");
        Assert.Equal("en", category.TargetLanguage);
        Assert.Equal("Model-weight exfiltration or leak", category.Text);
    }

    [Fact]
    public void Tlp_label_stays_english()
    {
        var tlp = new ReportTranslator(_glossary).Translate(Report("en")).Single(f => f.Field == "tlp");
        Assert.Equal("TLP:AMBER+STRICT", tlp.Text);
        Assert.Equal(ReportTranslator.Protected, tlp.Status);
    }

    [Fact]
    public void Free_text_is_marked_untranslated_never_copied()
    {
        var report = Report("en");
        var fields = new ReportTranslator(_glossary).Translate(report);
        foreach (var field in fields.Where(f => f.Field is "title" or "summary"))
        {
            Assert.Equal(ReportTranslator.Untranslated, field.Status);
            Assert.Null(field.Text);
        }
        Assert.Equal(ReportTranslator.Hash(report.Summary), fields.Single(f => f.Field == "summary").SourceHash);
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
