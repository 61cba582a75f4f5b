using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.Reports.Translations;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Reports.Tests.Translations;

public sealed class ReviewTranslationTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private const string Title = "Jailbreak spreading to other chat platforms";
    private const string Summary = "A role-play jailbreak against Frontier-1 is being traded on forums and works on two other platforms.";
    private const string Mitigations = "Classifier updated on our platform.";

    /// <summary>Files a report, delivers machine translations of its title and summary, and returns its id.</summary>
    private async Task<Guid> FileTranslatedAsync()
    {
        var report = JsonSerializer.SerializeToNode(ReportsFactory.ValidReport())!.AsObject();
        report["timeline"]!["mitigations"] = Mitigations;
        var id = await factory.FileAsync(report);
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var consumed = ConsumeCounter<ReportTranslated>.Attach(harness.Bus, m => m.ReportId == id);
        await harness.Bus.Publish(new ReportTranslated(id, 1,
        [
            new FieldTranslation("title", "en", "zh-Hans", "〔zh〕越狱扩散", "machine", "libretranslate", TranslationViews.Hash(Title), "argos-1.9"),
            new FieldTranslation("summary", "en", "zh-Hans", "〔zh〕角色扮演越狱", "machine", "libretranslate", TranslationViews.Hash(Summary), "argos-1.9"),
            new FieldTranslation("timeline.mitigations", "en", "zh-Hans", "〔zh〕分类器已更新", "machine", "libretranslate", TranslationViews.Hash(Mitigations), "argos-1.9"),
        ]));
        await Eventually.WaitUntilAsync(() => consumed.Count == 1, "the translations were stored");
        return id;
    }

    private static Task<HttpResponseMessage> ReviewAsync(HttpClient client, Guid id, string field, object body, string language = "zh-Hans") =>
        client.PutAsJsonAsync($"/api/v1/reports/{id}/translations/{field}/{language}", body);

    private static JsonElement Translation(JsonElement report, string field) =>
        report.GetProperty("translations").EnumerateArray().Single(t => t.GetProperty("field").GetString() == field);

    private Task<long> ReviewsAsync(Guid id) => factory.Database.ScalarAsync<long>($"SELECT count(*) FROM translation_reviews WHERE report_id = '{id}'");

    [Fact]
    public async Task Home_officer_corrects_a_translation_and_the_machine_one_stays_in_its_history()
    {
        var id = await FileTranslatedAsync();

        var response = await ReviewAsync(factory.UsOfficerClient(), id, "title", new { text = "越狱手法向其他聊天平台扩散", sourceHash = TranslationViews.Hash(Title) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var title = Translation(await factory.UsLabClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}"), "title");
        Assert.Equal("越狱手法向其他聊天平台扩散", title.GetProperty("text").GetString());
        Assert.Equal("human", title.GetProperty("status").GetString());
        Assert.Equal($"test-us-{ReportsFactory.UsContactPoint:N}", title.GetProperty("reviewedBy").GetString());
        var machine = title.GetProperty("history").EnumerateArray().Single();
        Assert.Equal(("〔zh〕越狱扩散", "machine", "libretranslate"),
            (machine.GetProperty("text").GetString(), machine.GetProperty("status").GetString(), machine.GetProperty("engine").GetString()));
    }

    [Fact]
    public async Task A_review_of_a_text_that_has_changed_or_a_bad_review_is_refused_and_stores_nothing()
    {
        var id = await FileTranslatedAsync();
        var officer = factory.UsOfficerClient();

        var stale = await ReviewAsync(officer, id, "title", new { text = "旧的", sourceHash = TranslationViews.Hash("An earlier title") });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType!.MediaType);

        var invalid = await ReviewAsync(officer, id, "reporterContact", new { text = " ", sourceHash = "" }, language: "en");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["field", "language", "sourceHash", "text"], errors.EnumerateObject().Select(e => e.Name).Order());

        var tooLong = await ReviewAsync(officer, id, "title", new { text = new string('长', ReviewTranslation.MaxLength + 1), sourceHash = TranslationViews.Hash(Title) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);

        var absent = await ReviewAsync(officer, id, "timeline.mitigations", new { text = "无", sourceHash = TranslationViews.Hash("x") });
        Assert.Equal(HttpStatusCode.Conflict, absent.StatusCode);

        Assert.Equal(0L, await ReviewsAsync(id));
    }

    [Fact]
    public async Task Only_contact_point_officers_who_may_read_the_text_review_it()
    {
        var id = await FileTranslatedAsync();
        var body = new { text = "越狱扩散", sourceHash = TranslationViews.Hash(Title) };

        Assert.Equal(HttpStatusCode.Forbidden, (await ReviewAsync(factory.UsLabClient(), id, "title", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ReviewAsync(factory.ClientWithToken(TestTokens.Issue("US", ReportsFactory.UsContactPoint, "ncp-duty")), id, "title", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ReviewAsync(factory.UsOtherLabClient(), id, "title", body)).StatusCode);
        // The counterpart, before any release, does not learn the report exists.
        Assert.Equal(HttpStatusCode.NotFound, (await ReviewAsync(factory.CnContactPointClient(), id, "title", body, language: "zh-Hans")).StatusCode);
        Assert.Equal(0L, await ReviewsAsync(id));
    }

    [Fact]
    public async Task Counterpart_officer_reviews_released_fields_and_sees_renderings_of_the_released_text_only()
    {
        var id = await FileTranslatedAsync();
        await factory.AssessAsync(id);
        (await factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{id}/releases", new { toParty = "CN", tlp = "AMBER", withhold = new[] { "timeline.mitigations" } }))
            .EnsureSuccessStatusCode();
        var cn = factory.CnContactPointClient();

        var reviewed = await ReviewAsync(cn, id, "title", new { text = "越狱方法正向其他聊天平台扩散", sourceHash = TranslationViews.Hash(Title) });
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        var withheld = await ReviewAsync(cn, id, "timeline.mitigations", new { text = "已更新", sourceHash = TranslationViews.Hash(Mitigations) });
        Assert.Equal(HttpStatusCode.NotFound, withheld.StatusCode);

        var seen = await cn.GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.DoesNotContain("分类器", seen.GetRawText());
        Assert.Equal(["title", "summary"], seen.GetProperty("translations").EnumerateArray().Select(t => t.GetProperty("field").GetString()));
        Assert.Equal("越狱方法正向其他聊天平台扩散", Translation(seen, "title").GetProperty("text").GetString());
        // The home side sees the counterpart's review too, with who made it.
        var home = Translation(await factory.UsOfficerClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}"), "title");
        Assert.Equal($"test-cn-{ReportsFactory.CnContactPoint:N}", home.GetProperty("reviewedBy").GetString());

        // A new version's title (not released) and its translation stay home: the counterpart still sees the released one's.
        var amended = JsonSerializer.SerializeToNode(ReportsFactory.ValidReport("Jailbreak now on five platforms"))!.AsObject();
        var amendment = await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/versions", amended);
        Assert.True(amendment.IsSuccessStatusCode, await amendment.Content.ReadAsStringAsync());
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var consumed = ConsumeCounter<ReportTranslated>.Attach(harness.Bus, m => m.ReportId == id);
        await harness.Bus.Publish(new ReportTranslated(id, 2,
            [new FieldTranslation("title", "en", "zh-Hans", "〔zh〕五个平台", "machine", "libretranslate", TranslationViews.Hash("Jailbreak now on five platforms"))]));
        await Eventually.WaitUntilAsync(() => consumed.Count == 1, "the new title's translation was stored");

        var after = await cn.GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.Equal("越狱方法正向其他聊天平台扩散", Translation(after, "title").GetProperty("text").GetString());
        Assert.DoesNotContain("五个平台", after.GetRawText());
    }
}
