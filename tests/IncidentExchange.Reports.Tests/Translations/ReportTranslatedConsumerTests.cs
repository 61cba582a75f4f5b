using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Reports.Tests.Translations;

public sealed class ReportTranslatedConsumerTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private static FieldTranslation Title(string? text, string status) =>
        new("title", "en", "zh-Hans", text, status, text is null ? "none" : "human", "hash");

    [Fact]
    public async Task Report_view_shows_the_latest_translation_of_each_field()
    {
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var response = await factory.UsLabClient().PostAsJsonAsync("/api/v1/reports", ReportsFactory.ValidReport("Translated later"));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var consumed = ConsumeCounter<ReportTranslated>.Attach(harness.Bus, m => m.ReportId == id);

        await harness.Bus.Publish(new ReportTranslated(id, 1, [Title(null, "untranslated")]));
        await Eventually.WaitUntilAsync(() => consumed.Count == 1, "the first translation was stored");
        await harness.Bus.Publish(new ReportTranslated(id, 1, [Title("越狱稍后翻译", "translated")]));
        await Eventually.WaitUntilAsync(() => consumed.Count == 2, "the second translation was stored");

        var report = await factory.UsLabClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        var title = report.GetProperty("translations").EnumerateArray().Single(t => t.GetProperty("field").GetString() == "title");
        Assert.Equal("越狱稍后翻译", title.GetProperty("text").GetString());
        Assert.Equal("translated", title.GetProperty("status").GetString());
    }
}
