using IncidentExchange.Severity.Rules;

namespace IncidentExchange.Severity.Tests.Rules;

public sealed class RuleSetTests
{
    private readonly RuleSet _rules = RuleSet.Load();

    [Fact]
    public void Rule_set_states_its_version() => Assert.Equal("1", _rules.Version);

    [Theory]
    [InlineData("other", 1)]
    [InlineData("jailbreak-spread", 2)]
    [InlineData("weights-leak", 3)]
    [InlineData("cbrn-uplift", 4)]
    [InlineData("critical-infrastructure", 4)]
    public void Category_alone_gives_its_base_level(string category, int level) =>
        Assert.Equal(level, _rules.Assess(category, []).Value);

    [Fact]
    public void Signals_raise_the_level()
    {
        Assert.Equal(3, _rules.Assess("jailbreak-spread", ["ongoing-exploitation"]).Value);
        Assert.Equal(4, _rules.Assess("jailbreak-spread", ["ongoing-exploitation", "non-state-actor"]).Value);
    }

    [Fact]
    public void Signals_without_a_rule_change_nothing() =>
        Assert.Equal(2, _rules.Assess("jailbreak-spread", ["jailbreak", "malware"]).Value);

    [Fact]
    public void Level_never_exceeds_five()
    {
        var level = _rules.Assess("cbrn-uplift", ["casualties", "critical-infrastructure", "ongoing-exploitation", "non-state-actor"]);
        Assert.Equal(5, level.Value);
        Assert.Equal("Critical", level.En);
        Assert.Equal("危急", level.Zh);
    }

    [Fact]
    public void Unknown_category_is_assessed_as_other() =>
        Assert.Equal(1, _rules.Assess("not-in-the-taxonomy", []).Value);

    [Fact]
    public void Impact_facts_raise_the_level_once_even_when_the_text_says_the_same_and_a_near_miss_lowers_it()
    {
        Assert.Equal(4, _rules.Assess("jailbreak-spread", [], "incident", ["casualties"]).Value);
        Assert.Equal(4, _rules.Assess("jailbreak-spread", ["casualties"], "incident", ["casualties"]).Value);
        Assert.Equal(5, _rules.Assess("jailbreak-spread", ["casualties"], "incident", ["critical-infrastructure"]).Value);
        Assert.Equal(2, _rules.Assess("weights-leak", [], "near-miss", []).Value);
        Assert.Equal(1, _rules.Assess("other", [], "near-miss", []).Value); // never below 1
    }

    [Theory]
    [InlineData(1, 1440, null, null)]
    [InlineData(2, 480, 4320, null)]
    [InlineData(3, 120, 1440, 72)]
    [InlineData(4, 30, 480, 24)]
    [InlineData(5, 15, 120, 4)]
    public void Each_level_states_its_limits_and_whether_the_counterpart_must_be_notified(int level, int? acknowledge, int? respond, int? notify) =>
        Assert.Equal((acknowledge, respond, notify), _rules.LimitsFor(level));
}
