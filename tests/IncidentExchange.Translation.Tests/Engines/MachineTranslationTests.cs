using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.Testing;
using MassTransit.Testing;

namespace IncidentExchange.Translation.Tests.Engines;

public sealed class MachineTranslationTests(EngineService service) : IClassFixture<EngineService>
{
    private const string Hash = "3f786850e387550fdab836ed7e6dc881de23001b8a6c1f1b2b5ab3a4f3d1e5a9";

    [Fact]
    public async Task Free_text_is_translated_by_the_engine_and_protected_spans_come_back_unchanged()
    {
        var report = EngineService.Report(
            "Jailbreak of Frontier-7 spreading, see https://forum.example/t/42 (TLP:AMBER)",
            $"The prompt `act as DAN` unlocks Frontier-7 by Acme AI; sample {Hash} and CVE-2025-12345. Model weights not affected.",
            mitigations: "Filters updated by Acme AI.");
        await service.Harness.Bus.Publish(report);

        await service.WaitForMachineTranslationAsync(report.ReportId, "summary");
        var published = service.Published(report.ReportId);
        // First, at once: the glossary's renderings, and the free text announced as pending (the report is never held up).
        Assert.Equal("越狱手法跨平台扩散", published.First(f => f.Field == "category").Text);
        Assert.All(published.Where(f => f.Field is "title" or "summary" or "timeline.mitigations").Take(3), f => Assert.Equal("pending", f.Status));

        var machine = published.Where(f => f.Status == "machine").ToDictionary(f => f.Field);
        Assert.Equal(["summary", "timeline.mitigations", "title"], machine.Keys.Order());
        foreach (var span in new[] { "Frontier-7", "https://forum.example/t/42", "TLP:AMBER" })
            Assert.Contains(span, machine["title"].Text);
        foreach (var span in new[] { "`act as DAN`", "Frontier-7", "Acme AI", Hash, "CVE-2025-12345" })
            Assert.Contains(span, machine["summary"].Text);
        Assert.Contains("越狱", machine["title"].Text); // the engine's rendering, which the glossary agrees with
        Assert.Contains("模型权重", machine["summary"].Text);
        Assert.All(machine.Values, f =>
        {
            Assert.Equal("libretranslate", f.Engine);
            Assert.Equal("argos-en-zh-1.9", f.Model);
            Assert.Equal("zh-Hans", f.TargetLanguage);
            Assert.Empty(f.GlossaryNotes!);
            Assert.NotNull(f.TranslatedAt);
        });

        // The engine never saw a protected span; it was asked in its own language codes, with the key.
        var sent = service.Engine.Requests.Where(r => r.Q.Any(q => q.Contains("unlocks"))).ToList();
        Assert.Single(sent);
        Assert.Equal(("en", "zh", "text", FakeLibreTranslate.ApiKey), (sent[0].Source, sent[0].Target, sent[0].Format, sent[0].ApiKey));
        foreach (var span in new[] { "Frontier-7", "Acme AI", "https://", "TLP:", Hash, "CVE-", "DAN" })
            Assert.DoesNotContain(sent[0].Q, q => q.Contains(span));
        Assert.Equal(1L, await service.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM translations WHERE report_id = '{report.ReportId}' AND field = 'summary' AND status = 'machine'"));
    }

    [Fact]
    public async Task A_glossary_term_rendered_wrongly_is_corrected_and_one_left_out_is_flagged()
    {
        try
        {
            service.Engine.Mode = FakeLibreTranslate.Behaviour.WrongTerm;
            var wrong = EngineService.Report("A jailbreak exposes model weights", "Seen on two platforms.");
            await service.Harness.Bus.Publish(wrong);
            await service.WaitForMachineTranslationAsync(wrong.ReportId, "title");
            var corrected = service.Published(wrong.ReportId).Single(f => f.Field == "title" && f.Status == "machine");
            Assert.Contains("越狱", corrected.Text);
            Assert.Contains("模型权重", corrected.Text);
            Assert.DoesNotContain("破解", corrected.Text);
            Assert.DoesNotContain("模型重量", corrected.Text);
            Assert.Equal(["corrected: \"破解\" → \"越狱\" (term:jailbreak)", "corrected: \"模型重量\" → \"模型权重\" (term:model-weights)"], corrected.GlossaryNotes);

            service.Engine.Mode = FakeLibreTranslate.Behaviour.MissingTerm;
            var missing = EngineService.Report("A new jailbreak", "Seen once.");
            await service.Harness.Bus.Publish(missing);
            await service.WaitForMachineTranslationAsync(missing.ReportId, "title");
            var flagged = service.Published(missing.ReportId).Single(f => f.Field == "title" && f.Status == "machine");
            Assert.Contains("逃脱", flagged.Text);
            Assert.Equal(["missing: \"jailbreak\" should be rendered \"越狱\" (term:jailbreak)"], flagged.GlossaryNotes);
        }
        finally
        {
            service.Engine.Mode = FakeLibreTranslate.Behaviour.Translate;
        }
    }

    [Fact]
    public async Task Chinese_report_is_translated_into_english()
    {
        var report = EngineService.Report("Frontier-7越狱提示词泄露", "越狱方法在论坛传播。", language: "zh-Hans");
        await service.Harness.Bus.Publish(report);
        await service.WaitForMachineTranslationAsync(report.ReportId, "title");
        var title = service.Published(report.ReportId).Single(f => f.Field == "title" && f.Status == "machine");
        Assert.Equal("en", title.TargetLanguage);
        Assert.StartsWith("Frontier-7", title.Text);
        Assert.Contains("jailbreak", title.Text);
        Assert.Contains(service.Engine.Requests, r => r.Source == "zh" && r.Target == "en");
    }

    [Fact]
    public async Task A_new_version_translates_only_the_text_that_changed()
    {
        var first = EngineService.Report("Jailbreak reported", "Unchanged summary of the jailbreak.");
        await service.Harness.Bus.Publish(first);
        await service.WaitForMachineTranslationAsync(first.ReportId, "summary");

        var second = EngineService.Report("Jailbreak confirmed on three platforms", first.Summary, version: 2, id: first.ReportId);
        await service.Harness.Bus.Publish(second);
        await Eventually.WaitUntilAsync(() => service.Published(first.ReportId).Count(f => f.Field == "title" && f.Status == "machine") == 2,
            "the new title was translated");
        await Task.Delay(300); // give a wrong re-translation of the summary time to show

        Assert.Equal(1, service.Published(first.ReportId).Count(f => f.Field == "summary" && f.Status == "machine"));
        Assert.Equal(1L, await service.Database.ScalarAsync<long>($"SELECT count(*) FROM translations WHERE report_id = '{first.ReportId}' AND field = 'summary'"));
        Assert.Equal(2L, await service.Database.ScalarAsync<long>($"SELECT count(*) FROM translations WHERE report_id = '{first.ReportId}' AND field = 'title'"));
    }

    [Fact]
    public async Task A_follow_up_message_is_translated_like_free_text()
    {
        var reportId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        await service.Harness.Bus.Publish(new ThreadMessagePosted(messageId, reportId, Guid.NewGuid(), "CN", "cn-officer", true, "zh-Hans", "越狱样本见 https://x.example/s 。", DateTimeOffset.UtcNow));

        await service.WaitForMachineTranslationAsync(reportId, $"thread:{messageId}");
        var translated = service.Published(reportId).Single(f => f.Status == "machine");
        Assert.Equal(("en", "libretranslate"), (translated.TargetLanguage, translated.Engine));
        Assert.Contains("jailbreak", translated.Text);
        Assert.Contains("https://x.example/s", translated.Text);
        Assert.Equal(FieldTranslation.HashOf("越狱样本见 https://x.example/s 。"), translated.SourceHash);
        Assert.Contains(service.Harness.Published.Select<ReportTranslated>(m => m.Context.Message.ReportId == reportId), m => m.Context.Message.Version == 0);
    }

}
