using IncidentExchange.Triage.Classification;

namespace IncidentExchange.Triage.Tests.Classification;

public sealed class ClassifierTests
{
    private readonly Classifier _classifier = new();

    [Fact]
    public void English_keywords_raise_their_signals()
    {
        var result = _classifier.Classify("cyber-offence", "Model wrote malware used against a power grid",
            "The intrusion is ongoing and attributed to a ransomware gang.");
        Assert.Equal(["critical-infrastructure", "malware", "non-state-actor", "ongoing-exploitation"], result.Signals);
    }

    [Fact]
    public void Chinese_keywords_raise_their_signals()
    {
        var result = _classifier.Classify("other", "模型权重泄露", "犯罪团伙正在出售模型权重。");
        Assert.Contains("weights", result.Signals);
        Assert.Contains("non-state-actor", result.Signals);
        Assert.Contains("ongoing-exploitation", result.Signals);
    }

    [Fact]
    public void Text_pointing_elsewhere_than_other_suggests_a_category()
    {
        var result = _classifier.Classify("other", "Leaked model weights", "Model weights were exfiltrated from a training cluster.");
        Assert.Equal("weights-leak", result.SuggestedCategory);
    }

    [Fact]
    public void No_suggestion_when_the_text_agrees_with_the_reporter()
    {
        var result = _classifier.Classify("jailbreak-spread", "New jailbreak", "A jailbreak works across three chat products.");
        Assert.Null(result.SuggestedCategory);
        Assert.Equal(["jailbreak"], result.Signals);
    }

    [Fact]
    public void Plain_text_raises_no_signal()
    {
        var result = _classifier.Classify("privacy-data-leak", "Chat history shown to another user", "A caching bug showed one user's history to another.");
        Assert.Empty(result.Signals);
        Assert.Null(result.SuggestedCategory);
    }
}
