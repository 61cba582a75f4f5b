using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.Reports.Translations;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Reports.Tests.Translations;

public sealed class ReportTranslatedConsumerTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    internal static FieldTranslation Title(string source, string? text, string status) =>
        new("title", "en", "zh-Hans", text, status, text is null ? "libretranslate" : "libretranslate", TranslationViews.Hash(source),
            "argos-1.9", text is null ? [] : ["missing: \"jailbreak\" should be rendered \"越狱\" (term:jailbreak)"], text is null ? null : DateTimeOffset.UtcNow);

    private async Task DeliverAsync(Guid id, int version, params FieldTranslation[] fields)
    {
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var consumed = ConsumeCounter<ReportTranslated>.Attach(harness.Bus, m => m.ReportId == id);
        await harness.Bus.Publish(new ReportTranslated(id, version, fields));
        await Eventually.WaitUntilAsync(() => consumed.Count == 1, "the translation was stored");
    }

    private async Task<JsonElement> TitleAsync(Guid id)
    {
        var report = await factory.UsLabClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        return report.GetProperty("translations").EnumerateArray().Single(t => t.GetProperty("field").GetString() == "title");
    }

    [Fact]
    public async Task Report_view_shows_the_translation_with_its_provenance_and_news_without_text_never_replaces_it()
    {
        const string source = "Translated later";
        var id = await factory.FileAsync(ReportsFactory.ValidReport(source));

        await DeliverAsync(id, 1, Title(source, null, "pending"));
        Assert.Equal(("pending", JsonValueKind.Null), ((await TitleAsync(id)).GetProperty("status").GetString(), (await TitleAsync(id)).GetProperty("text").ValueKind));

        await DeliverAsync(id, 1, Title(source, "〔zh〕稍后翻译", "machine"));
        await DeliverAsync(id, 1, Title(source, null, "pending")); // a late copy of the announcement

        var title = await TitleAsync(id);
        Assert.Equal("〔zh〕稍后翻译", title.GetProperty("text").GetString());
        Assert.Equal("machine", title.GetProperty("status").GetString());
        Assert.Equal("libretranslate", title.GetProperty("engine").GetString());
        Assert.Equal("argos-1.9", title.GetProperty("model").GetString());
        Assert.Equal("en", title.GetProperty("sourceLanguage").GetString());
        Assert.False(title.GetProperty("stale").GetBoolean());
        Assert.Single(title.GetProperty("glossaryNotes").EnumerateArray());
        Assert.NotEqual(JsonValueKind.Null, title.GetProperty("translatedAt").ValueKind);
    }

    [Fact]
    public async Task A_changed_field_shows_its_old_translation_as_stale_until_the_new_one_arrives()
    {
        var id = await factory.FileAsync(ReportsFactory.ValidReport("First title"));
        await DeliverAsync(id, 1, Title("First title", "〔zh〕第一个标题", "machine"));

        var amended = JsonSerializer.SerializeToNode(ReportsFactory.ValidReport("Second title"))!.AsObject();
        (await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/versions", amended)).EnsureSuccessStatusCode();

        var stale = await TitleAsync(id);
        Assert.True(stale.GetProperty("stale").GetBoolean());
        Assert.Equal("〔zh〕第一个标题", stale.GetProperty("text").GetString());
        Assert.Equal(TranslationViews.Hash("First title"), stale.GetProperty("sourceHash").GetString());

        await DeliverAsync(id, 2, Title("Second title", null, "pending"));
        Assert.True((await TitleAsync(id)).GetProperty("stale").GetBoolean());

        await DeliverAsync(id, 2, Title("Second title", "〔zh〕第二个标题", "machine"));
        var fresh = await TitleAsync(id);
        Assert.False(fresh.GetProperty("stale").GetBoolean());
        Assert.Equal("〔zh〕第二个标题", fresh.GetProperty("text").GetString());

        // The summary did not change: the translation made for version 1 still applies, not stale.
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM translations WHERE report_id = '{id}' AND field = 'title' AND version = 2"));
    }
}
