using System.Security.Claims;
using IncidentExchange.Reports.Data;
using IncidentExchange.ServiceDefaults;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Reading;

/// <summary>
/// The record of reads across the parties' line: each time the other party's contact point reads a released report,
/// its threads (each time), or first sees it in its inbox — who (subject and name), which report, what, when, from
/// where. Saved before the answer goes: a read that cannot be recorded is not answered.
/// <c>GET /api/v1/reports/access-log</c> gives either party's <c>auditor</c> the reads by its people and the reads of its
/// reports, newest first; who read and from where only for its own people — the other government's staff names and
/// network addresses are not the reading party's to give away.
/// </summary>
public static class CrossPartyReads
{
    public const string Report = "report";
    public const string Threads = "threads";
    public const string Inbox = "inbox";

    /// <param name="Reader">The reader's subject; null when the reader is of the other party.</param>
    public sealed record ReadView(
        long Id, DateTimeOffset At, string ReaderParty, string? Reader, string? ReaderName, Guid ReportId, string ReportParty, string What, string? Address);

    public sealed record Page(IReadOnlyList<ReadView> Reads);

    public static RouteGroupBuilder MapCrossPartyReads(this RouteGroupBuilder group)
    {
        group.MapGet("/access-log", List).RequireAuthorization(policy => policy.RequireRole(Roles.Auditor));
        return group;
    }

    /// <summary>Records that the caller, of another party than these reports', read them.</summary>
    public static async Task RecordAsync(
        ReportsDb db, HttpContext http, IEnumerable<(Guid Id, string Party)> reports, string what, TimeProvider clock, CancellationToken cancellationToken)
    {
        var user = http.User;
        var name = user.FindFirstValue(PlatformClaims.Name);
        var at = clock.GetUtcNow();
        var address = http.CallerAddressOf();
        foreach (var (id, party) in reports)
            db.CrossPartyReads.Add(new CrossPartyRead
            {
                At = at, ReaderParty = user.PartyOf(), Reader = user.SubjectOf(), ReaderName = name is { Length: > 256 } ? name[..256] : name,
                ReportId = id, ReportParty = party, What = what, Address = address,
            });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Records the inbox lines the caller sees for the first time. The dashboard refreshes the inbox every 30 seconds;
    /// a record per refresh would bury the reads that matter under thousands of identical lines a day.
    /// </summary>
    public static async Task RecordListedAsync(
        ReportsDb db, HttpContext http, IReadOnlyList<(Guid Id, string Party)> reports, TimeProvider clock, CancellationToken cancellationToken)
    {
        var reader = http.User.SubjectOf();
        var ids = reports.Select(r => r.Id).ToList();
        var seen = await db.CrossPartyReads.AsNoTracking()
            .Where(r => r.Reader == reader && r.What == Inbox && ids.Contains(r.ReportId))
            .Select(r => r.ReportId).ToListAsync(cancellationToken);
        var unseen = reports.Where(r => !seen.Contains(r.Id)).ToList();
        if (unseen.Count > 0)
            await RecordAsync(db, http, unseen, Inbox, clock, cancellationToken);
    }

    private static async Task<IResult> List(ClaimsPrincipal user, ReportsDb db, CancellationToken cancellationToken, long? before = null, int limit = 100)
    {
        if (limit is < 1 or > 1000)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["limit must be between 1 and 1000."] }, title: "The query is not valid");
        var party = user.PartyOf();
        var reads = await db.CrossPartyReads.AsNoTracking()
            .Where(r => (r.ReaderParty == party || r.ReportParty == party) && (before == null || r.Id < before))
            .OrderByDescending(r => r.Id).Take(limit)
            .Select(r => new ReadView(r.Id, r.At, r.ReaderParty, r.Reader, r.ReaderName, r.ReportId, r.ReportParty, r.What, r.Address))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page(reads.Select(r => r.ReaderParty == party ? r : r with { Reader = null, ReaderName = null, Address = null }).ToList()));
    }
}
