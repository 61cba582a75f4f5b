using IncidentExchange.Contracts.Translation;
using IncidentExchange.Testing;
using IncidentExchange.Translation.Tests.Engines;
using IncidentExchange.Translation.Translating;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IncidentExchange.Translation.Tests.Translating;

/// <summary>Without an engine configured, the glossary is all there is: free text is marked untranslated, never copied.</summary>
public sealed class NoEngineTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task Free_text_is_marked_untranslated_and_nothing_waits_for_an_engine()
    {
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var report = EngineService.Report("Jailbreak spreading", "Seen on two platforms.", mitigations: "Filters updated.");
        await harness.Bus.Publish(report);

        await Eventually.WaitUntilAsync(() => harness.Published.Select<ReportTranslated>(m => m.Context.Message.ReportId == report.ReportId).Any(),
            "the translations were announced");
        var fields = harness.Published.Select<ReportTranslated>(m => m.Context.Message.ReportId == report.ReportId).Single().Context.Message.Fields;
        Assert.Equal(["category", "kind", "title", "summary", "timeline.mitigations"], fields.Select(f => f.Field));
        foreach (var field in fields.Where(f => f.Field is "title" or "summary" or "timeline.mitigations"))
        {
            Assert.Equal(("untranslated", "none", null), (field.Status, field.Engine, field.Text));
            Assert.Equal(ReportTranslator.Hash(field.Field == "title" ? report.Title : field.Field == "summary" ? report.Summary : report.Mitigations!), field.SourceHash);
        }
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM translations WHERE status = 'pending'"));
        Assert.DoesNotContain(factory.Services.GetServices<IHostedService>(), s => s is TranslationWorker);
    }
}
