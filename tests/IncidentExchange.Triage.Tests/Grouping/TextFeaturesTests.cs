using IncidentExchange.Triage.Grouping;

namespace IncidentExchange.Triage.Tests.Grouping;

public sealed class TextFeaturesTests
{
    [Fact]
    public void Names_are_words_written_as_names_in_either_language_and_not_dates_or_sentence_starts()
    {
        Assert.Equal(["4chan", "gpt-4", "llama", "meta"],
            TextFeatures.NamesOf("Leaked weights of Meta's LLaMA reached 4chan in March. Researchers compared it with GPT-4."));
        Assert.Equal(["4chan", "llama", "meta"], TextFeatures.NamesOf("Meta的LLaMA模型权重在4chan泄露。"));
        Assert.Equal(["gpt-4.5"], TextFeatures.NamesOf("Testing GPT-4.5. The end."));
    }

    [Fact]
    public void Model_keys_ignore_case_and_punctuation_and_unknown_models_have_none()
    {
        Assert.Equal("gpt4", TextFeatures.KeyOf("GPT-4"));
        Assert.Equal(TextFeatures.KeyOf("gpt 4"), TextFeatures.KeyOf("GPT-4"));
        Assert.Null(TextFeatures.KeyOf("Unknown"));
        Assert.Null(TextFeatures.KeyOf("未知"));
        Assert.Null(TextFeatures.KeyOf(" - "));
    }

    [Fact]
    public void Concepts_meet_across_languages_and_English_terms_match_at_word_starts()
    {
        var features = new TextFeatures();
        Assert.Equal(["deepfake", "video-call"], features.ConceptsOf("Deepfake video call"));
        Assert.Equal(["deepfake", "video-call"], features.ConceptsOf("深度伪造视频会议"));
        Assert.Contains("exfiltration", features.ConceptsOf("weights were exfiltrated"));
        Assert.DoesNotContain("agent", features.ConceptsOf("a reagent was used"));
    }

    [Fact]
    public void Two_models_of_one_family_are_not_counted_as_different_models()
    {
        ReportFeatures Of(string model) => new()
        {
            ReportId = Guid.NewGuid(), Party = "US", Category = "weights-leak", Title = "", Text = "", ModelName = model,
            ModelKey = TextFeatures.KeyOf(model), OccurredAt = DateTimeOffset.UnixEpoch, Names = [], Concepts = [], Indicators = [],
        };
        Assert.Contains("same model family", LinkScore.Compare(Of("LLaMA 65B"), Of("LLaMA"), 0.2).Reason);
        Assert.Contains("different models", LinkScore.Compare(Of("Claude"), Of("LLaMA"), 0.2).Reason);
        Assert.True(LinkScore.Compare(Of("LLaMA 65B"), Of("LLaMA"), 0.2).Score > LinkScore.Compare(Of("Claude"), Of("LLaMA"), 0.2).Score);
    }
}
