using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Reports.Tests.Questions;

public sealed class QuestionThreadsTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private async Task<Guid> ReleasedReportAsync()
    {
        var id = await factory.FileAsync();
        await factory.AssessAsync(id);
        var release = await factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{id}/releases", new { toParty = "CN", tlp = "AMBER" });
        Assert.Equal(HttpStatusCode.Created, release.StatusCode);
        return id;
    }

    private static async Task<JsonElement> OpenAsync(HttpClient client, Guid id, string with, string body)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/reports/{id}/threads", new { with, body, language = "en" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string[]> BodiesSeenAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}/threads")).EnumerateArray()
            .SelectMany(t => t.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("body").GetString()!)).Order().ToArray();

    [Fact]
    public async Task Each_side_sees_only_the_threads_it_is_part_of()
    {
        var id = await ReleasedReportAsync();
        var counterpart = await OpenAsync(factory.CnContactPointClient(), id, "counterpart", "Which platforms were affected?");
        var lab = await OpenAsync(factory.UsOfficerClient(), id, "lab", "Can you share the shard hashes?");

        var answer = await factory.UsOfficerClient().PostAsJsonAsync(
            $"/api/v1/reports/{id}/threads/{counterpart.GetProperty("id").GetGuid()}/messages", new { body = "Two chat platforms.", language = "en" });
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        var labAnswer = await factory.UsLabClient().PostAsJsonAsync(
            $"/api/v1/reports/{id}/threads/{lab.GetProperty("id").GetGuid()}/messages", new { body = "Yes, attached as indicators.", language = "en" });
        Assert.Equal(HttpStatusCode.Created, labAnswer.StatusCode);

        Assert.Equal(["Can you share the shard hashes?", "Two chat platforms.", "Which platforms were affected?", "Yes, attached as indicators."],
            await BodiesSeenAsync(factory.UsOfficerClient(), id));
        Assert.Equal(["Two chat platforms.", "Which platforms were affected?"], await BodiesSeenAsync(factory.CnContactPointClient(), id));
        Assert.Equal(["Can you share the shard hashes?", "Yes, attached as indicators."], await BodiesSeenAsync(factory.UsLabClient(), id));

        // Outsiders neither read nor write, nor learn that a thread exists.
        Assert.Equal(HttpStatusCode.NotFound, (await factory.UsOtherLabClient().GetAsync($"/api/v1/reports/{id}/threads")).StatusCode);
        var cnToLab = await factory.CnContactPointClient().PostAsJsonAsync(
            $"/api/v1/reports/{id}/threads/{lab.GetProperty("id").GetGuid()}/messages", new { body = "Let me in", language = "en" });
        Assert.Equal(HttpStatusCode.NotFound, cnToLab.StatusCode);
        var labToCounterpart = await factory.UsLabClient().PostAsJsonAsync(
            $"/api/v1/reports/{id}/threads/{counterpart.GetProperty("id").GetGuid()}/messages", new { body = "Hello China", language = "en" });
        Assert.Equal(HttpStatusCode.NotFound, labToCounterpart.StatusCode);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM thread_messages WHERE body IN ('Let me in', 'Hello China')"));
    }

    [Fact]
    public async Task Counterpart_cannot_ask_about_an_unreleased_report_and_bad_messages_are_refused()
    {
        var id = await factory.FileAsync();
        var cn = await factory.CnContactPointClient().PostAsJsonAsync($"/api/v1/reports/{id}/threads", new { with = "counterpart", body = "What is this?", language = "en" });
        Assert.Equal(HttpStatusCode.NotFound, cn.StatusCode);
        var home = await factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{id}/threads", new { with = "counterpart", body = "Nothing released yet", language = "en" });
        Assert.Equal(HttpStatusCode.Conflict, home.StatusCode);

        var blank = await factory.UsOfficerClient().PostAsJsonAsync($"/api/v1/reports/{id}/threads", new { with = "lab", body = " ", language = "fr" });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        var problem = await blank.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("language", out _));
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM question_threads WHERE report_id = '{id}'"));
    }

    [Fact]
    public async Task Each_message_goes_to_translation_and_its_translation_is_shown_in_the_thread_only()
    {
        var id = await ReleasedReportAsync();
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var response = await factory.CnContactPointClient().PostAsJsonAsync($"/api/v1/reports/{id}/threads",
            new { with = "counterpart", body = "受影响的平台有哪些？", language = "zh-Hans" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messages")[0];
        var messageId = message.GetProperty("id").GetGuid();

        await Eventually.WaitUntilAsync(() => harness.Published.Select<ThreadMessagePosted>(m => m.Context.Message.MessageId == messageId).Any(),
            "the message was announced for translation");
        var posted = harness.Published.Select<ThreadMessagePosted>(m => m.Context.Message.MessageId == messageId).Single().Context.Message;
        Assert.Equal((id, "CN", "zh-Hans", "受影响的平台有哪些？"), (posted.ReportId, posted.AuthorParty, posted.Language, posted.Body));

        var consumed = ConsumeCounter<ReportTranslated>.Attach(harness.Bus, m => m.ReportId == id);
        await harness.Bus.Publish(new ReportTranslated(id, 0, [new FieldTranslation($"thread:{messageId}", "zh-Hans", "en", "Which platforms are affected?",
            "machine", "libretranslate", FieldTranslation.HashOf("受影响的平台有哪些？"), "argos-1.9")]));
        await Eventually.WaitUntilAsync(() => consumed.Count == 1, "the translation was stored");

        var threads = await factory.UsOfficerClient().GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}/threads");
        var translation = threads[0].GetProperty("messages")[0].GetProperty("translations").EnumerateArray().Single();
        Assert.Equal(("en", "Which platforms are affected?", "machine"),
            (translation.GetProperty("targetLanguage").GetString(), translation.GetProperty("text").GetString(), translation.GetProperty("status").GetString()));
        // Never in the report view: the lab, which is not part of this thread, reads the report and must not see it.
        Assert.DoesNotContain("Which platforms", await factory.UsLabClient().GetStringAsync($"/api/v1/reports/{id}"));
    }
}
