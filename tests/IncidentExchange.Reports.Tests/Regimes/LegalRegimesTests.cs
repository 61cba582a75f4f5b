using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Reports.Protocol;
using IncidentExchange.Reports.Regimes;

namespace IncidentExchange.Reports.Tests.Regimes;

public sealed class LegalRegimesTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private static readonly DateTimeOffset Detected = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Filed = new(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);
    private static readonly LegalRegimes Regimes = LegalRegimes.Load();

    private static IncidentReport Report(string[] jurisdictions, long? deaths = null, long? injuries = null, bool? criticalInfrastructure = null, bool detected = true) =>
        new("t", "s", "en", "incident", "cyber-offence", null,
            new Impact(deaths, injuries, null, null, jurisdictions, null, null, criticalInfrastructure),
            new ModelInfo("Frontier-1", null, "Lab", null, null, null),
            new Timeline(Detected.AddHours(-2), detected ? Detected : null, null, null), null, "AMBER", null, null);

    /// <summary>Example reports, and the regimes each must show: id, whether expedited, hours from awareness.</summary>
    public static TheoryData<string, IncidentReport, int?, string> Examples => new()
    {
        { "no jurisdiction named: nothing applies", Report([]), 4, "" },
        { "one EU state: the standard 15 days", Report(["DE"]), 2, "eu-ai-act-art-73 standard 360" },
        { "two EU states: widespread infringement, 2 days", Report(["DE", "FR"]), 2, "eu-ai-act-art-73 expedited 48" },
        { "a death in the EU: 10 days", Report(["FR"], deaths: 1), 5, "eu-ai-act-art-73 expedited 240" },
        { "a death and critical infrastructure: the shorter, 2 days", Report(["FR"], deaths: 1, criticalInfrastructure: true), 5, "eu-ai-act-art-73 expedited 48" },
        { "US without injury: SB 53's 15 days", Report(["US"]), 3, "us-ca-sb-53 standard 360" },
        { "US with serious injuries: 24 hours", Report(["US"], injuries: 3), 4, "us-ca-sb-53 expedited 24" },
        { "China below 'relatively major': the CAC measures do not apply", Report(["CN"]), 2, "" },
        { "China, not yet assessed: the CAC measures wait for the level", Report(["CN"]), null, "" },
        { "China at level 3: 4 hours", Report(["CN"]), 3, "cn-cac-incident-reporting standard 4" },
        { "China, critical infrastructure: 1 hour", Report(["CN"], criticalInfrastructure: true), 3, "cn-cac-incident-reporting expedited 1" },
        { "three jurisdictions, a death: each regime its clock", Report(["CN", "US", "DE"], deaths: 2), 4,
            "eu-ai-act-art-73 expedited 240; us-ca-sb-53 expedited 24; cn-cac-incident-reporting standard 4" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Each_regime_that_applies_shows_its_deadline(string example, IncidentReport report, int? level, string expected)
    {
        var clocks = Regimes.Evaluate(report, level, Filed);
        var described = string.Join("; ", clocks.Select(c => $"{c.Id} {(c.Expedited ? "expedited" : "standard")} {(c.Deadline - c.Awareness).TotalHours}"));
        Assert.True(expected == described, $"{example}: expected \"{expected}\", got \"{described}\"");
        Assert.All(clocks, c => Assert.Equal(Detected, c.Awareness));
        Assert.All(clocks, c => Assert.False(string.IsNullOrWhiteSpace(c.Source)));
    }

    [Fact]
    public void Without_a_detection_time_the_clock_runs_from_filing()
    {
        var clock = Regimes.Evaluate(Report(["CN"], detected: false), 3, Filed).Single();
        Assert.Equal(Filed, clock.Awareness);
        Assert.Equal(Filed.AddHours(4), clock.Deadline);
    }

    [Fact]
    public async Task The_home_side_sees_the_regimes_and_the_counterpart_does_not()
    {
        var report = JsonSerializer.SerializeToNode(ReportsFactory.ValidReport("Critical infrastructure outage in two countries"))!.AsObject();
        report["impact"] = new System.Text.Json.Nodes.JsonObject
        {
            ["jurisdictionsAffected"] = new System.Text.Json.Nodes.JsonArray("CN", "US"), ["criticalInfrastructureAffected"] = true,
        };
        var id = await factory.FileAsync(report);
        await factory.AssessAsync(id, level: 4);
        (await factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{id}/releases", new { toParty = "CN", tlp = "AMBER" })).EnsureSuccessStatusCode();

        var home = await factory.UsOfficerClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        var regimes = home.GetProperty("regimes").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal(["cn-cac-incident-reporting", "us-ca-sb-53"], regimes.Keys.Order());
        var cac = regimes["cn-cac-incident-reporting"];
        Assert.True(cac.GetProperty("expedited").GetBoolean());
        Assert.Equal(cac.GetProperty("awareness").GetDateTimeOffset().AddHours(1), cac.GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal("1 hour: critical information infrastructure", cac.GetProperty("basis").GetString());
        Assert.Equal("国家互联网信息办公室《国家网络安全事件报告管理办法》", cac.GetProperty("name").GetProperty("zh-Hans").GetString());

        var counterpart = await factory.CnContactPointClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.False(counterpart.TryGetProperty("regimes", out _));
    }
}
