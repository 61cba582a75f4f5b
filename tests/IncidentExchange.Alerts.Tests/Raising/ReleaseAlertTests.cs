using IncidentExchange.Contracts.Reports;
using IncidentExchange.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Alerts.Tests.Raising;

public sealed class ReleaseAlertTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task Release_alerts_the_counterpart_once_and_nullification_alerts_it_under_the_released_title()
    {
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var reportId = Guid.NewGuid();
        var released = new ReportReleased(Guid.NewGuid(), reportId, 1, "US", "CN", "AMBER", "Weights offered for sale", "weights-leak",
            4, "High", "高", false, DateTimeOffset.UtcNow);
        var consumedReleases = ConsumeCounter<ReportReleased>.Attach(harness.Bus, m => m.ReportId == reportId);
        var consumedNullifications = ConsumeCounter<ReportNullified>.Attach(harness.Bus, m => m.ReportId == reportId);

        var messageId = NewId.NextGuid();
        await harness.Bus.Publish(released, context => context.MessageId = messageId);
        await harness.Bus.Publish(released, context => context.MessageId = messageId);
        await Eventually.WaitUntilAsync(() => consumedReleases.Count == 2, "the release and its duplicate were consumed");

        Assert.Equal("CN report-released Weights offered for sale 4", await factory.Database.ScalarAsync<string>(
            $"SELECT string_agg(party || ' ' || kind || ' ' || title || ' ' || severity, ',') FROM alerts WHERE report_id = '{reportId}'"));

        await harness.Bus.Publish(new ReportNullified(reportId, "US", ["CN"], false, DateTimeOffset.UtcNow));
        await Eventually.WaitUntilAsync(() => consumedNullifications.Count == 1, "the nullification was consumed");

        Assert.Equal("CN report-nullified Weights offered for sale 4", await factory.Database.ScalarAsync<string>(
            $"SELECT party || ' ' || kind || ' ' || title || ' ' || severity FROM alerts WHERE report_id = '{reportId}' AND kind = 'report-nullified'"));
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE report_id = '{reportId}' AND party = 'US'"));
    }
}
