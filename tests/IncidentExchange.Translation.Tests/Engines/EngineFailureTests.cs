using IncidentExchange.Testing;
using IncidentExchange.Translation.Engines;
using IncidentExchange.Translation.Translating;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Translation.Tests.Engines;

/// <summary>A failing, hanging or dead engine delays translations; it never holds up or loses a report.</summary>
public sealed class EngineFailureTests(EngineService service) : IClassFixture<EngineService>
{
    private async Task<(long Attempts, string Error, string Status)> TitleRowAsync(Guid reportId)
    {
        var attempts = await service.Database.ScalarAsync<long>($"SELECT attempts::bigint FROM translations WHERE report_id = '{reportId}' AND field = 'title'");
        var error = await service.Database.ScalarAsync<string>($"SELECT coalesce(last_error, '') FROM translations WHERE report_id = '{reportId}' AND field = 'title'");
        var status = await service.Database.ScalarAsync<string>($"SELECT status FROM translations WHERE report_id = '{reportId}' AND field = 'title'");
        return (attempts, error, status!);
    }

    /// <summary>Moves the service's clock and wakes the worker, instead of waiting for its sweep.</summary>
    private void Advance(TimeSpan by)
    {
        service.Clock.Advance(by);
        service.Services.GetRequiredService<TranslationQueueSignal>().Wake();
    }

    private async Task WaitForAttemptsAsync(Guid reportId, long attempts) =>
        await Eventually.WaitUntilAsync(async () => (await TitleRowAsync(reportId)).Attempts >= attempts, $"attempt {attempts} was made");

    [Fact]
    public async Task Failures_retry_with_backoff_and_the_breaker_stops_calling_a_dead_engine_until_it_may_have_recovered()
    {
        service.Engine.Mode = FakeLibreTranslate.Behaviour.Fail;
        var report = EngineService.Report("Jailbreak spreading", "Seen on two platforms.");
        await service.Harness.Bus.Publish(report);

        // The report's translations are announced at once, the free text as pending: the report is delivered with its original.
        await Eventually.WaitUntilAsync(() => service.Published(report.ReportId).Any(f => f.Field == "title" && f.Status == "pending"), "the title was announced");
        await WaitForAttemptsAsync(report.ReportId, 1);
        var (_, error, status) = await TitleRowAsync(report.ReportId);
        Assert.Equal("pending", status);
        Assert.Equal("libretranslate answered 500: Translation engine overloaded", error);

        // Not again before its backoff (5 s): the worker wakes, finds nothing due.
        Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(500);
        Assert.Equal(1L, (await TitleRowAsync(report.ReportId)).Attempts);

        // A hanging engine is given up on after its timeout (1 s here).
        service.Engine.Mode = FakeLibreTranslate.Behaviour.Hang;
        Advance(TimeSpan.FromSeconds(4));
        await WaitForAttemptsAsync(report.ReportId, 2);
        Assert.Equal("libretranslate did not answer within 1 s.", (await TitleRowAsync(report.ReportId)).Error);

        // Backoff doubles: 10 s, 20 s, 40 s. The fifth failure in a row opens the breaker.
        service.Engine.Mode = FakeLibreTranslate.Behaviour.Fail;
        foreach (var (wait, attempt) in new[] { (10, 3), (20, 4), (40, 5) })
        {
            Advance(TimeSpan.FromSeconds(wait));
            await WaitForAttemptsAsync(report.ReportId, attempt);
        }
        Assert.True(service.Services.GetRequiredService<EngineBreaker>().IsOpen);

        // While open, a new report's text is queued and announced, but the engine is not called.
        var calls = service.Engine.Requests.Count;
        var second = EngineService.Report("Second jailbreak", "Another platform.");
        await service.Harness.Bus.Publish(second);
        await Eventually.WaitUntilAsync(() => service.Published(second.ReportId).Any(f => f.Field == "title" && f.Status == "pending"), "the second report was announced");
        await Task.Delay(1000);
        Assert.Equal(calls, service.Engine.Requests.Count);

        // After the breaker's 30 s the engine is tried again; it has recovered, and both reports are translated.
        service.Engine.Mode = FakeLibreTranslate.Behaviour.Translate;
        Advance(EngineBreaker.OpenFor + TimeSpan.FromSeconds(1));
        await service.WaitForMachineTranslationAsync(second.ReportId, "title");
        Assert.False(service.Services.GetRequiredService<EngineBreaker>().IsOpen);
        Advance(TranslationWorker.Backoff(5));
        await service.WaitForMachineTranslationAsync(report.ReportId, "title");
        Assert.Equal((6L, "machine"), ((await TitleRowAsync(report.ReportId)).Attempts, (await TitleRowAsync(report.ReportId)).Status));
    }
}
