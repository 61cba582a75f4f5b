using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Alerts.Tests.Translations;

/// <summary>An alert carries its title's rendering in the other language, whichever of the two was consumed first.</summary>
public sealed class TitleTranslationTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private ITestHarness Harness => factory.Services.GetRequiredService<ITestHarness>();

    private async Task<JsonElement> AlertAsync(Guid reportId, string party, string kind, int version = 1)
    {
        var sql = $"SELECT id FROM alerts WHERE report_id = '{reportId}' AND party = '{party}' AND kind = '{kind}' AND report_version = {version}";
        await Eventually.WaitUntilAsync(async () => await factory.Database.ScalarAsync<long>(sql.Replace("SELECT id", "SELECT count(*)")) == 1, $"the {kind} alert was raised");
        var id = await factory.Database.ScalarAsync<Guid>(sql);
        return await factory.ClientWithToken(TestTokens.Issue(party, Guid.NewGuid(), "ncp-duty")).GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{id}");
    }

    private static FieldTranslation Title(string source, string? text, string status) =>
        new("title", "en", "zh-Hans", text, status, status == "machine" ? "libretranslate" : "none", FieldTranslation.HashOf(source),
            TranslatedAt: text is null ? null : DateTimeOffset.UtcNow);

    private async Task TranslatedAsync(Guid reportId, int version, params FieldTranslation[] fields)
    {
        var consumed = ConsumeCounter<ReportTranslated>.Attach(Harness.Bus, m => m.ReportId == reportId && m.Fields.SequenceEqual(fields));
        await Harness.Bus.Publish(new ReportTranslated(reportId, version, fields));
        await Eventually.WaitUntilAsync(() => consumed.Count == 1, "the translation was consumed");
    }

    private static string Rendering(JsonElement alert) =>
        string.Join(",", alert.GetProperty("titleTranslations").EnumerateArray().Select(t =>
            $"{t.GetProperty("targetLanguage").GetString()} {t.GetProperty("status").GetString()} {t.GetProperty("text").GetString()}"));

    [Fact]
    public async Task A_title_translated_before_its_alert_is_raised_comes_with_the_alert()
    {
        var reportId = Guid.NewGuid();
        var title = $"Weights offered for sale {reportId:N}";
        await TranslatedAsync(reportId, 1, Title(title, "权重被出售", "machine"),
            new FieldTranslation("summary", "en", "zh-Hans", "不是标题", "machine", "libretranslate", FieldTranslation.HashOf("summary")));
        await Harness.Bus.Publish(new SeverityAssessed(reportId, 1, "US", 4, "High", "高", "1", "weights-leak", title, false, DateTimeOffset.UtcNow));

        Assert.Equal("zh-Hans machine 权重被出售", Rendering(await AlertAsync(reportId, "US", "report")));
    }

    [Fact]
    public async Task A_title_translated_after_its_alerts_reaches_each_alert_of_that_title_and_no_other()
    {
        var reportId = Guid.NewGuid();
        var first = $"Weights offered {reportId:N}";
        var second = $"Weights offered and sold {reportId:N}";
        await Harness.Bus.Publish(new SeverityAssessed(reportId, 1, "US", 4, "High", "高", "1", "weights-leak", first, false, DateTimeOffset.UtcNow));
        await AlertAsync(reportId, "US", "report");
        await Harness.Bus.Publish(new ReportReleased(Guid.NewGuid(), reportId, 1, "US", "CN", "AMBER", first, "weights-leak", 4, "High", "高", false, DateTimeOffset.UtcNow));
        Assert.Equal("", Rendering(await AlertAsync(reportId, "CN", "report-released")));
        // Version 2 changes the title: its alert shows the new title; CN was released only the first.
        await Harness.Bus.Publish(new SeverityAssessed(reportId, 2, "US", 4, "High", "高", "1", "weights-leak", second, false, DateTimeOffset.UtcNow));
        await AlertAsync(reportId, "US", "report", version: 2);

        await TranslatedAsync(reportId, 1, Title(first, null, "pending"));
        await TranslatedAsync(reportId, 1, Title(first, "权重被出售", "machine"));
        // A late "pending" of the same text does not take the engine's rendering away.
        await TranslatedAsync(reportId, 1, Title(first, null, "pending"));

        Assert.Equal("zh-Hans machine 权重被出售", Rendering(await AlertAsync(reportId, "US", "report")));
        Assert.Equal("zh-Hans machine 权重被出售", Rendering(await AlertAsync(reportId, "CN", "report-released")));
        Assert.Equal("", Rendering(await AlertAsync(reportId, "US", "report", version: 2)));
    }
}
