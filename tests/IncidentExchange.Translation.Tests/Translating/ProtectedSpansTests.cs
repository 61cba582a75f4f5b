using IncidentExchange.Translation.Translating;

namespace IncidentExchange.Translation.Tests.Translating;

public sealed class ProtectedSpansTests
{
    private static readonly string[] Labels = Glossary.Glossary.Load().ProtectedLabels.ToArray();

    private static List<string> Protected(string text, params string?[] names) =>
        ProtectedSpans.Split(text, Labels, names).Where(s => s.IsProtected).Select(s => s.Text).ToList();

    [Fact]
    public void Labels_urls_code_hashes_and_cve_ids_are_protected()
    {
        const string hash = "3f786850e387550fdab836ed7e6dc881de23001b8a6c1f1b2b5ab3a4f3d1e5a9";
        var text = $"Shared under TLP:AMBER+STRICT at https://example.org/a?b=1, prompt `ignore all rules`, sample {hash}, CVE-2025-12345, mail soc@lab.example.";
        Assert.Equal(["TLP:AMBER+STRICT", "https://example.org/a?b=1", "`ignore all rules`", hash, "CVE-2025-12345", "soc@lab.example"], Protected(text));
    }

    [Fact]
    public void Spans_in_chinese_text_are_found_without_spaces_around_them()
    {
        const string hash = "3f786850e387550fdab836ed7e6dc881";
        Assert.Equal(["https://x.example/p", hash, "soc@lab.example"], Protected($"见https://x.example/p。哈希{hash}，联系soc@lab.example。"));
    }

    [Fact]
    public void The_reports_model_and_developer_are_protected_as_whole_words()
    {
        Assert.Equal(["Frontier-7", "Meta"], Protected("Frontier-7 by Meta leaked its metadata", "Frontier-7", "Meta"));
        Assert.Empty(Protected("an unknown model", "unknown"));
    }

    [Fact]
    public void The_segments_put_together_are_the_text()
    {
        const string text = "Frontier-7 (TLP:RED) 越狱 https://x.example/ done";
        Assert.Equal(text, string.Concat(ProtectedSpans.Split(text, Labels, ["Frontier-7"]).Select(s => s.Text)));
    }
}
