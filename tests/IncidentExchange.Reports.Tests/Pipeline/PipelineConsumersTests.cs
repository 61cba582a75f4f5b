using System.Net.Http.Json;
using IncidentExchange.Contracts.Severity;
using IncidentExchange.Contracts.Triage;
using IncidentExchange.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Reports.Tests.Pipeline;

public sealed class PipelineConsumersTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private ITestHarness Harness => factory.Services.GetRequiredService<ITestHarness>();

    private static ReportTriaged Triaged(Guid id, int version = 1) =>
        new(id, version, "US", "jailbreak-spread", null, [], "t", false, DateTimeOffset.UtcNow);

    private static SeverityAssessed Assessed(Guid id, int version = 1, int level = 4) =>
        new(id, version, "US", level, "High", "高", "1", "jailbreak-spread", "t", false, DateTimeOffset.UtcNow);

    /// <summary>Publishes the message (under the given id, else a new one) and waits until it has been consumed as often as it was sent.</summary>
    private async Task DeliverAsync<T>(T message, Guid reportId, Func<T, Guid> idOf, int times = 1, Guid? messageId = null) where T : class
    {
        var consumed = ConsumeCounter<T>.Attach(Harness.Bus, m => idOf(m) == reportId);
        var id = messageId ?? NewId.NextGuid();
        for (var i = 0; i < times; i++)
            await Harness.Bus.Publish(message, context => context.MessageId = id);
        await Eventually.WaitUntilAsync(() => consumed.Count == times, $"{typeof(T).Name} was consumed {times} times");
    }

    private Task TriageAsync(Guid id, int version = 1) => DeliverAsync(Triaged(id, version), id, m => m.ReportId);

    private Task AssessAsync(Guid id, int version = 1, int level = 4) => DeliverAsync(Assessed(id, version, level), id, m => m.ReportId);

    private async Task<string> StateAsync(Guid id) =>
        await factory.Database.ScalarAsync<string>($"SELECT status || ' ' || coalesce(severity::text, '-') || ' ' || coalesce(severity_label_zh, '-') FROM reports WHERE id = '{id}'");

    [Fact]
    public async Task Status_moves_forward_with_the_pipeline_and_a_late_message_never_takes_it_back()
    {
        var id = await factory.FileAsync();
        Assert.Equal("submitted - -", await StateAsync(id));

        await TriageAsync(id);
        Assert.Equal("triaged - -", await StateAsync(id));

        await AssessAsync(id, level: 3);
        Assert.Equal("assessed 3 高", await StateAsync(id));

        await TriageAsync(id); // a copy of triage's news arriving after the assessment
        Assert.Equal("assessed 3 高", await StateAsync(id));
    }

    [Fact]
    public async Task News_of_a_version_since_replaced_changes_nothing()
    {
        var id = await factory.FileAsync();
        (await factory.UsLabClient().PostAsJsonAsync($"/api/v1/reports/{id}/versions", ReportsFactory.ValidReport("Amended"))).EnsureSuccessStatusCode();

        await TriageAsync(id, version: 1);
        await AssessAsync(id, version: 1);
        Assert.Equal("submitted - -", await StateAsync(id));

        await AssessAsync(id, version: 2, level: 5);
        Assert.Equal("assessed 5 高", await StateAsync(id));
    }

    [Fact]
    public async Task A_closed_report_keeps_its_status_and_still_learns_its_severity()
    {
        var id = await factory.FileAsync();
        (await factory.UsContactPointClient().PostAsync($"/api/v1/reports/{id}/close", null)).EnsureSuccessStatusCode();

        await TriageAsync(id);
        await AssessAsync(id, level: 2);
        Assert.Equal("closed 2 高", await StateAsync(id));
    }

    [Fact]
    public async Task A_message_delivered_twice_is_kept_once_without_a_fault()
    {
        var id = await factory.FileAsync();
        var messageId = NewId.NextGuid();

        await DeliverAsync(Assessed(id, level: 4), id, m => m.ReportId, times: 2, messageId: messageId);

        Assert.Equal("assessed 4 高", await StateAsync(id));
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM inbox_messages WHERE message_id = '{messageId}'"));
        Assert.False(Harness.Published.Select<Fault<SeverityAssessed>>(m => m.Context.Message.Message.ReportId == id).Any());
    }

    [Fact]
    public async Task News_of_an_unknown_report_is_a_fault_and_records_nothing()
    {
        var unknown = Guid.NewGuid();
        var messageId = NewId.NextGuid();

        await Harness.Bus.Publish(Triaged(unknown), context => context.MessageId = messageId);

        // After the retries (100 ms, 500 ms, 2 s, 5 s), to the consumer's error queue, with a fault published.
        await Eventually.WaitUntilAsync(() => Harness.Published.Select<Fault<ReportTriaged>>(m => m.Context.Message.Message.ReportId == unknown).Any(),
            "the fault was published", TimeSpan.FromSeconds(30));
        var fault = Harness.Published.Select<Fault<ReportTriaged>>(m => m.Context.Message.Message.ReportId == unknown).Single().Context.Message;
        Assert.Contains($"unknown report {unknown}", fault.Exceptions.Single().Message);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM inbox_messages WHERE message_id = '{messageId}'"));
    }
}
