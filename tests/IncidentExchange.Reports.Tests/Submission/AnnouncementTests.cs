using IncidentExchange.Reports.Protocol;
using IncidentExchange.Reports.Submission;

namespace IncidentExchange.Reports.Tests.Submission;

public sealed class AnnouncementTests
{
    [Fact]
    public void Impact_facts_are_announced_in_the_signal_vocabulary()
    {
        Assert.Empty(Announcement.ImpactIndicators(null));
        Assert.Empty(Announcement.ImpactIndicators(new Impact(0, 0, 10, null, ["US"], false, false, false)));
        Assert.Equal(["casualties", "critical-infrastructure", "non-state-actor", "ongoing-exploitation"],
            Announcement.ImpactIndicators(new Impact(null, 2, null, null, null, true, true, true)));
    }
}
