using IncidentExchange.Testing;

namespace IncidentExchange.Reports.Tests;

public class ReportsFactory : ServiceFactory<Program>
{
    public static readonly Guid UsLab = Guid.Parse("10000000-0000-4000-8000-000000000001");
    public static readonly Guid UsOtherLab = Guid.Parse("10000000-0000-4000-8000-000000000002");
    public static readonly Guid UsContactPoint = Guid.Parse("10000000-0000-4000-8000-000000000003");
    public static readonly Guid CnContactPoint = Guid.Parse("10000000-0000-4000-8000-000000000004");

    public HttpClient UsLabClient() => ClientWithToken(TestTokens.Issue("US", UsLab, "reporter"));
    public HttpClient UsOtherLabClient() => ClientWithToken(TestTokens.Issue("US", UsOtherLab, "reporter"));
    public HttpClient UsContactPointClient() => ClientWithToken(TestTokens.Issue("US", UsContactPoint, "ncp-officer", "ncp-duty"));
    public HttpClient CnContactPointClient() => ClientWithToken(TestTokens.Issue("CN", CnContactPoint, "ncp-officer", "ncp-duty"));

    public static object ValidReport(string title = "Jailbreak spreading to other chat platforms") => new
    {
        title,
        summary = "A role-play jailbreak against Frontier-1 is being traded on forums and works on two other platforms.",
        language = "en",
        occurredAt = "2026-11-20T08:30:00Z",
        category = "jailbreak-spread",
        model = new { name = "Frontier-1", developer = "Example US Frontier Lab" },
        tlp = "AMBER",
    };
}
