using IncidentExchange.Contracts.Reports;
using IncidentExchange.Contracts.Triage;
using IncidentExchange.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Triage.Tests.Classification;

public sealed class ReportSubmittedConsumerTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task Report_is_classified_once_even_when_its_message_arrives_twice()
    {
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var report = new ReportSubmitted(Guid.NewGuid(), 1, "US", Guid.NewGuid(), "other", "incident", "en", "Leaked model weights offered for sale",
            "The weights were exfiltrated from a training cluster and are offered online.", "AMBER", false, DateTimeOffset.UtcNow,
            ImpactIndicators: ["ongoing-exploitation"]);
        var messageId = NewId.NextGuid();
        var consumed = ConsumeCounter<ReportSubmitted>.Attach(harness.Bus, m => m.ReportId == report.ReportId);

        await harness.Bus.Publish(report, context => context.MessageId = messageId);
        await harness.Bus.Publish(report, context => context.MessageId = messageId);

        await Eventually.WaitUntilAsync(() => harness.Published.Select<ReportTriaged>(m => m.Context.Message.ReportId == report.ReportId).Any(),
            "the classification was published");
        await Eventually.WaitUntilAsync(() => consumed.Count == 2, "both copies were consumed");
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // give a wrongly processed duplicate time to show

        var triaged = harness.Published.Select<ReportTriaged>(m => m.Context.Message.ReportId == report.ReportId).Single().Context.Message;
        Assert.Equal("weights-leak", triaged.SuggestedCategory);
        Assert.Equal(["weights"], triaged.Signals);
        Assert.Equal("Leaked model weights offered for sale", triaged.Title);
        Assert.Equal("incident", triaged.Kind); // passed on for the severity rules
        Assert.Equal(["ongoing-exploitation"], triaged.ImpactIndicators!);
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM results WHERE report_id = '{report.ReportId}'"));
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM incident_links WHERE report_id = '{report.ReportId}' AND incident_id = '{triaged.IncidentId}'"));
    }
}
