using IncidentExchange.Alerts.Data;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.ServiceDefaults.Messaging;
using MassTransit;

namespace IncidentExchange.Alerts.Stamps;

/// <summary>
/// A contact point's question or answer on a report is its party's first substantive reply: the party's alerts on that
/// report (its own labs' report, or the counterpart's release) are stamped responded.
/// </summary>
public sealed class ThreadMessagePostedConsumer(AlertsDb db, AlertStamps stamps) : IConsumer<ThreadMessagePosted>
{
    public async Task Consume(ConsumeContext<ThreadMessagePosted> context)
    {
        var m = context.Message;
        IReadOnlyList<Alert> stamped = [];
        var first = await db.ConsumeOnceAsync(context, nameof(ThreadMessagePostedConsumer), async cancellationToken =>
        {
            if (m.ByContactPoint)
                stamped = await Stamping.RespondedAsync(db, m.ReportId, m.AuthorParty, [Alert.ReportKind, Alert.ReleasedKind], m.Author,
                    Stamping.ByMessage, null, m.PostedAt, cancellationToken);
        });
        if (!first)
            return;
        foreach (var alert in stamped)
            await stamps.TellAsync(alert);
    }
}
