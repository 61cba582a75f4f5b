using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentExchange.Translation.Tests.Engines;

/// <summary>The Translation service with a LibreTranslate engine (<see cref="FakeLibreTranslate"/>) and a clock the test moves.</summary>
public sealed class EngineService : ServiceFactory<Program>
{
    public FakeLibreTranslate Engine { get; } = new();

    public ManualClock Clock { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Translation:Engine:Url", Engine.Url),
        new("Translation:Engine:ApiKey", FakeLibreTranslate.ApiKey),
        new("Translation:Engine:Model", "argos-en-zh-1.9"),
        new("Translation:Engine:TimeoutSeconds", "1"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    protected override ValueTask DisposeAlsoAsync() => Engine.DisposeAsync();

    public ITestHarness Harness => Services.GetRequiredService<ITestHarness>();

    public static ReportSubmitted Report(string title, string summary, string? mitigations = null, string language = "en", int version = 1, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), version, "US", Guid.NewGuid(), "jailbreak-spread", "incident", language, title, summary, "AMBER", false,
            DateTimeOffset.UtcNow, "Frontier-7", "Acme AI", DateTimeOffset.UtcNow, [], mitigations);

    /// <summary>The translations published for a report so far, oldest first.</summary>
    public IReadOnlyList<FieldTranslation> Published(Guid reportId) =>
        Harness.Published.Select<ReportTranslated>(m => m.Context.Message.ReportId == reportId)
            .OrderBy(m => m.Context.SentTime).SelectMany(m => m.Context.Message.Fields).ToList();

    public Task WaitForMachineTranslationAsync(Guid reportId, string field) =>
        Eventually.WaitUntilAsync(() => Published(reportId).Any(f => f.Field == field && f.Status == "machine"), $"{field} was machine-translated");
}
