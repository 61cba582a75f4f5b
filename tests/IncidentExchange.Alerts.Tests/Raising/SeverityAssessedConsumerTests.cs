using IncidentExchange.Contracts.Severity;
using IncidentExchange.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Alerts.Tests.Raising;

public sealed class SeverityAssessedConsumerTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static SeverityAssessed Assessed(string party, string title) =>
        new(Guid.NewGuid(), 1, party, 4, "High", "高", "1", "weights-leak", title, false, DateTimeOffset.UtcNow);

    [Fact]
    public async Task Each_party_numbers_its_alerts_without_gaps_and_a_duplicate_raises_nothing()
    {
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var first = Assessed("US", "first");
        var duplicateId = NewId.NextGuid();
        var others = new[] { Assessed("CN", "cn first"), Assessed("US", "second") };
        var ids = others.Select(o => o.ReportId).Append(first.ReportId).ToHashSet();
        var consumed = ConsumeCounter<SeverityAssessed>.Attach(harness.Bus, m => ids.Contains(m.ReportId));

        await harness.Bus.Publish(first, context => context.MessageId = duplicateId);
        await Eventually.WaitUntilAsync(() => consumed.Count == 1, "the first message was consumed");
        await harness.Bus.Publish(first, context => context.MessageId = duplicateId);
        foreach (var message in others)
            await harness.Bus.Publish(message);
        await Eventually.WaitUntilAsync(() => consumed.Count == 4, "the duplicate and the two others were consumed");

        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE report_id = '{first.ReportId}'"));
        Assert.Equal("1,2", await factory.Database.ScalarAsync<string>("SELECT string_agg(sequence::text, ',' ORDER BY sequence) FROM alerts WHERE party = 'US'"));
        Assert.Equal("1", await factory.Database.ScalarAsync<string>("SELECT string_agg(sequence::text, ',' ORDER BY sequence) FROM alerts WHERE party = 'CN'"));
    }

    [Fact]
    public async Task Alerts_raised_together_for_one_party_are_numbered_one_after_another()
    {
        // A party of its own, so that the numbers start at 1 whatever the other test raised.
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var messages = Enumerable.Range(1, 40).Select(i => Assessed("ZZ", $"burst {i}")).ToList();
        var ids = messages.Select(m => m.ReportId).ToHashSet();
        var consumed = ConsumeCounter<SeverityAssessed>.Attach(harness.Bus, m => ids.Contains(m.ReportId));

        await Task.WhenAll(messages.Select(m => harness.Bus.Publish(m)));
        await Eventually.WaitUntilAsync(() => consumed.Count == messages.Count, "all were consumed");

        Assert.Equal(string.Join(",", Enumerable.Range(1, 40)),
            await factory.Database.ScalarAsync<string>("SELECT string_agg(sequence::text, ',' ORDER BY sequence) FROM alerts WHERE party = 'ZZ'"));
        Assert.Equal(40L, await factory.Database.ScalarAsync<long>("SELECT last_sequence FROM party_sequences WHERE party = 'ZZ'"));
    }
}
